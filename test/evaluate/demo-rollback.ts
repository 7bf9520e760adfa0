import type { CandidateCell } from '../../src/evaluate/cell-overlap.js';
import type { Cohort, CohortResult, Verdict } from '../../src/types.js';
import { result } from './fixtures.js';

// `npm run demo` (simulate --seed 7 --tenants 40 --inject 'tenant=t002:success_rate:-0.03@stage-2', user
// routing): the results scoped rollback reads, copied at full precision from its evaluations. Tenant t002
// (about 12% of logins) is only on IdP google-oidc, and 88% of its traffic is in region us-west.

/** A demo result: success_rate unless another metric is named. */
function demo(cohort: Cohort, verdict: Verdict, effect: number, ci: [number, number], n: number, n_control: number, metric = 'success_rate'): CohortResult {
  return result({ cohort, metric, verdict, effect, ci, n, n_control });
}

/** Stage 2 (5%): t002 and t002 × google-oidc regress on the same traffic. */
export const STAGE_2: CohortResult[] = [
  demo({}, 'inconclusive', -0.0030652202240783587, [-0.008983402704006112, 0.004340508634588397], 6646, 125681),
  demo({ tenant: 't002' }, 'regression', -0.021705895149142073, [-0.049601654878245666, -0.005675380709583497], 850, 15266),
  demo({ idp: 'adfs-saml' }, 'inconclusive', -0.00575379510030781, [-0.03325801999131505, 0.020918017734494768], 623, 10978),
  demo({ idp: 'azure-ad-saml' }, 'inconclusive', -0.009188997437835963, [-0.030539352470968693, 0.011322645965941486], 748, 13947),
  demo({ idp: 'google-oidc' }, 'inconclusive', -0.010386168934492662, [-0.013846527580134615, 0.0017097593818979247], 1837, 33789),
  demo({ idp: 'okta-oidc' }, 'pass', 0.007862845134039122, [-0.0002865631704967713, 0.017666260690113164], 1252, 23624),
  demo({ idp: 'pingfed-saml' }, 'inconclusive', -0.0038234295760032743, [-0.01758540138623657, 0.011388638170365579], 2186, 42755),
  demo({ region: 'ap-south' }, 'inconclusive', -0.0018478004289469757, [-0.053821204506700804, 0.016881860344445002], 305, 5936),
  demo({ region: 'eu-central' }, 'inconclusive', -0.002960865654906454, [-0.015188342475261228, 0.01265555244622267], 1357, 23972),
  demo({ region: 'eu-west' }, 'inconclusive', -0.010194513331298265, [-0.03516587169577737, 0.019250421165251275], 665, 11595),
  demo({ region: 'us-east' }, 'inconclusive', -0.000563384165744533, [-0.017935834767294916, 0.013393363669527068], 1266, 24193),
  demo({ region: 'us-west' }, 'inconclusive', -0.003568331680642055, [-0.009439544552892469, 0.007169718297746386], 3053, 59176),
  demo({ tenant: 't002', idp: 'google-oidc' }, 'regression', -0.021705895149142073, [-0.049601654878245666, -0.005675380709583497], 850, 15266),
];

/** Stage 3 (25%): t002, t002 × google-oidc, google-oidc, us-west and everyone regress; the apps show t002's harm diluted, none passes. */
export const STAGE_3: CohortResult[] = [
  demo({}, 'regression', -0.004696338847198074, [-0.007427342541884685, -0.0021706619108814657], 57451, 169730),
  demo({ tenant: 't002' }, 'regression', -0.03380411074147943, [-0.04161724157387197, -0.02489663089582376], 6918, 21381),
  demo({ idp: 'adfs-saml' }, 'inconclusive', 0.0009424497667104817, [-0.008664038864193717, 0.010325548055341882], 4981, 15479),
  demo({ idp: 'azure-ad-saml' }, 'inconclusive', -0.0026347816786666716, [-0.006575102705306635, 0.005101263219843078], 6278, 18905),
  demo({ idp: 'google-oidc' }, 'regression', -0.01696133204833658, [-0.021914391837708613, -0.012522745196818952], 15024, 45193),
  demo({ idp: 'okta-oidc' }, 'inconclusive', 0.0020058386840705717, [-0.005871014684519196, 0.009384587162361586], 10095, 29687),
  demo({ idp: 'pingfed-saml' }, 'inconclusive', -0.0007786994220680296, [-0.005087137545855245, 0.003494802853812579], 21073, 60466),
  demo({ app: 'admin-portal' }, 'inconclusive', -0.004333141925733418, [-0.012147551570404883, 0.0036526976515093576], 6742, 19166),
  demo({ app: 'android' }, 'inconclusive', -0.008437219432761729, [-0.014269845727592753, -0.00216500304208591], 11657, 34869),
  demo({ app: 'cli' }, 'inconclusive', 0.003197833407143762, [-0.009606221217046114, 0.0163699751895226], 2689, 7961),
  demo({ app: 'ios' }, 'inconclusive', -0.007317819809447632, [-0.008887465665223644, -0.0016996098175050232], 13407, 40766),
  demo({ app: 'web' }, 'inconclusive', -0.0024231893632354687, [-0.006687121322023183, 0.0012939193199024463], 22956, 66968),
  demo({ region: 'ap-south' }, 'inconclusive', -0.004037780177089865, [-0.014083301020480327, 0.005680576441421113], 2765, 8103),
  demo({ region: 'eu-central' }, 'inconclusive', -0.0008885914521104911, [-0.008023203904811468, 0.0062130341561868], 10490, 30938),
  demo({ region: 'eu-west' }, 'inconclusive', -0.0018462288702207755, [-0.010839163944835738, 0.007721944627180212], 5415, 16296),
  demo({ region: 'us-east' }, 'inconclusive', -0.0010022692682292611, [-0.008329540823834107, 0.005805480461607334], 10823, 31625),
  demo({ region: 'us-west' }, 'regression', -0.008209434159330974, [-0.010364061197296354, -0.0050016964014090335], 27958, 82768),
  demo({ tenant: 't002', idp: 'google-oidc' }, 'regression', -0.03380411074147943, [-0.04161724157387197, -0.02489663089582376], 6918, 21381),
];

/** Stage 5 (100%, baseline projection): t002 and t002 × google-oidc (same n, separate baselines), google-oidc; ap-south p95 latency. */
export const STAGE_5: CohortResult[] = [
  demo({}, 'inconclusive', -0.0018744212232639553, [-0.01305222070397177, 0.010665262777044387], 186979, 0),
  demo({}, 'improvement', -0.03239375808981626, [-0.04391839452878258, -0.0197352658078945], 186979, 0, 'latency_p95'),
  demo({ tenant: 't002' }, 'regression', -0.03212784402216468, [-0.0382840282152941, -0.025262179737144876], 24386, 0),
  demo({ tenant: 't002' }, 'improvement', -0.061628749731661436, [-0.08536825753345852, -0.03088562750257656], 24386, 0, 'latency_p95'),
  demo({ idp: 'adfs-saml' }, 'inconclusive', 0.0026126109290926444, [-0.00933072859420077, 0.017364659771332495], 17208, 0),
  demo({ idp: 'azure-ad-saml' }, 'inconclusive', 0.0002511127526223053, [-0.010294366300909415, 0.012046490598809866], 20749, 0),
  demo({ idp: 'google-oidc' }, 'regression', -0.012772556077779006, [-0.01858160889924096, -0.0054016881141508], 50606, 0),
  demo({ idp: 'okta-oidc' }, 'inconclusive', 0.0027782014401984577, [-0.008404927849898299, 0.013610731583862553], 33339, 0),
  demo({ idp: 'pingfed-saml' }, 'inconclusive', 0.001314827672123592, [-0.010320392339675702, 0.013880274863013475], 65077, 0),
  demo({ region: 'ap-south' }, 'inconclusive', 0.0032697631540232253, [-0.005269072594707016, 0.012500485844680345], 8904, 0),
  demo({ region: 'ap-south' }, 'regression', 0.01419906931618553, [0.0575892665627823, 0.06299945444233188], 8904, 0, 'latency_p95'),
  demo({ region: 'eu-central' }, 'inconclusive', 0.00269146756411076, [-0.007960426047678914, 0.013488075376610651], 34518, 0),
  demo({ region: 'eu-west' }, 'inconclusive', 0.001542164475416605, [-0.009530334265753594, 0.012949908472722137], 18114, 0),
  demo({ region: 'us-east' }, 'inconclusive', 0.004931008212524094, [-0.006944906168519383, 0.01725683773246619], 35878, 0),
  demo({ region: 'us-west' }, 'inconclusive', -0.007342589178033129, [-0.013222337263041093, 0.0005342856078910758], 89565, 0),
  demo({ tenant: 't002', idp: 'google-oidc' }, 'regression', -0.031722027910377655, [-0.03807524883683645, -0.024714635230761187], 24386, 0),
  demo({ tenant: 't002', idp: 'google-oidc' }, 'improvement', -0.061718748034988447, [-0.08544971557470071, -0.030975634214397734], 24386, 0, 'latency_p95'),
];

/** Stage 3's candidate attempts by cell: t002's real split over regions, the rest of the traffic in four filler cells. */
export const STAGE_3_CELLS: CandidateCell[] = [
  ...([['us-west', 6088], ['us-east', 183], ['ap-south', 223], ['eu-central', 202], ['eu-west', 222]] as const).map(([region, attempts]) => ({
    cohort: { tenant: 't002', idp: 'google-oidc', region },
    attempts,
  })),
  { cohort: { tenant: 't001', idp: 'google-oidc', region: 'us-west' }, attempts: 4000 },
  { cohort: { tenant: 't001', idp: 'google-oidc', region: 'eu-west' }, attempts: 4106 },
  { cohort: { tenant: 't003', idp: 'okta-oidc', region: 'us-west' }, attempts: 17870 },
  { cohort: { tenant: 't003', idp: 'okta-oidc', region: 'us-east' }, attempts: 24557 },
];

/** Stage 5's candidate attempts of t002 by region, and filler cells for the rest. */
export const STAGE_5_CELLS: CandidateCell[] = [
  ...([['us-west', 21448], ['eu-west', 670], ['eu-central', 768], ['us-east', 694], ['ap-south', 806]] as const).map(([region, attempts]) => ({
    cohort: { tenant: 't002', idp: 'google-oidc', region },
    attempts,
  })),
  { cohort: { tenant: 't001', idp: 'google-oidc', region: 'us-west' }, attempts: 26220 },
  { cohort: { tenant: 't003', idp: 'okta-oidc', region: 'ap-south' }, attempts: 8098 },
  { cohort: { tenant: 't003', idp: 'okta-oidc', region: 'us-east' }, attempts: 128275 },
];
