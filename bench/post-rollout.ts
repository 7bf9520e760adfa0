// Bench: calibration and power of the post-rollout hunt (src/post-rollout/hunt.ts) over a month of
// daily runs, on the seeded JS world of test/post-rollout/hunt-world.ts (cells tenant × idp × app ×
// region; IdP-day and cell-day logit shocks, tenant drift). Null: months with any finding (the
// family-wise view of FDR under the global null) and false finding-days. Injected: one app × IdP ×
// region (~2% of traffic) gets +3 pp failures after 100%; the day it is first found.
// Run: npx tsx bench/post-rollout.ts [tenants, default 8] [months, default 6] [seed, default 1000]
// Measured: null months with any finding 0/20 (12 20 1000), 1/6 (8 6 2000), 0/20 (8 20 3000), 0/20 (8 20 4000);
// injected found on post day 0-2 in 17/17 months.
import { hunt } from '../src/post-rollout/hunt.js';
import { pairsAndTriples } from '../src/post-rollout/hunt-sql.js';
import { seededRandom } from '../src/stats/random.js';
import { simulateWorld, worldCounts, type WorldOptions } from '../test/post-rollout/hunt-world.js';

const TENANTS = Number(process.argv[2] ?? 8);
const MONTHS = Number(process.argv[3] ?? 6);
const SEED = Number(process.argv[4] ?? 1000);
const ALPHA = 0.05;
const INJECTED = { app: 'app2', idp: 'idp2', region: 'r1' };

const world = (injection: boolean): WorldOptions => ({
  tenants: TENANTS, idps: 4, apps: 4, regions: 4, baselineDays: 28, postDays: 30, attemptsPerDay: 60_000,
  codes: [
    { code: 'invalid_credentials', share: 0.5 }, { code: 'mfa_timeout', share: 0.2 },
    { code: 'invalid_grant', share: 0.2 }, { code: 'upstream_timeout', share: 0.1 },
  ],
  idpDaySd: 0.15, cellDaySd: 0.1, tenantDriftSd: 0.03,
  ...(injection ? { injection: { cohort: INJECTED, delta: 0.03, code: 'upstream_timeout' } } : {}),
});

function month(options: WorldOptions, seed: number) {
  const w = simulateWorld(options, seededRandom(seed));
  const injectedShare = options.injection ? share(w) : 0;
  const countsAt = worldCounts(w, pairsAndTriples());
  const found = new Map<string, number>();
  let [examined, eligible, ms] = [0, 0, 0];
  for (let day = 0; day < options.postDays; day++) {
    const t = performance.now();
    const r = hunt({ sets: pairsAndTriples(), ...countsAt(day), tolerance: { failures: 0.005, codes: new Map() }, alpha: ALPHA });
    ms += performance.now() - t;
    [examined, eligible] = [r.examined, r.eligible];
    for (const c of r.cells) if (c.found && !found.has(`${c.cohortKey}:${c.metric}`)) found.set(`${c.cohortKey}:${c.metric}`, day);
  }
  return { found, examined, eligible, injectedShare, msPerRun: ms / options.postDays };
}

function share(w: ReturnType<typeof simulateWorld>): number {
  const inCohort = w.cells.map((c) => Object.entries(INJECTED).every(([k, v]) => c.values[k as keyof typeof c.values] === v));
  let [a, t] = [0, 0];
  for (const day of w.days) day.forEach((c, i) => { t += c.n; if (inCohort[i]) a += c.n; });
  return a / t;
}

const overlaps = (key: string) => key.split(':')[0]!.split('|').every((part) => {
  const [dim, value] = part.split('=');
  return dim === 'tenant' || (INJECTED as Record<string, string>)[dim!] === undefined || (INJECTED as Record<string, string>)[dim!] === value;
});

let monthsWithFinding = 0;
let falseFindings = 0;
for (let m = 0; m < MONTHS; m++) {
  const r = month(world(false), SEED + m);
  if (r.found.size > 0) monthsWithFinding++;
  falseFindings += r.found.size;
  console.log(`null month ${m} (seed ${SEED + m}): ${r.examined} cells, ${r.eligible} eligible, ${r.found.size} found${r.found.size ? `: ${[...r.found.keys()].slice(0, 4).join(' ')}` : ''}; ${r.msPerRun.toFixed(0)} ms/run`);
}
console.log(`NULL: ${monthsWithFinding}/${MONTHS} months with any finding over 30 daily runs (FDR level ${ALPHA}); ${falseFindings} false findings`);
const days: number[] = [];
let falseInInjected = 0;
for (let m = 0; m < Math.max(1, Math.round(MONTHS / 4)); m++) {
  const r = month(world(true), SEED + 500 + m);
  const key = `idp=${INJECTED.idp}|app=${INJECTED.app}|region=${INJECTED.region}`;
  const first = Math.min(...[...r.found].filter(([k]) => k.startsWith(`${key}:`)).map(([, d]) => d));
  days.push(first);
  falseInInjected += [...r.found.keys()].filter((k) => !overlaps(k)).length;
  console.log(`injected month ${m} (seed ${SEED + 500 + m}): cohort ${(100 * r.injectedShare).toFixed(1)}% of traffic, found on post day ${first}, ${r.found.size} findings`);
}
console.log(`INJECTED: first found on post day ${days.join(', ')}; ${falseInInjected} findings not overlapping the injected cohort`);
