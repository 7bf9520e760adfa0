/**
 * Parameters of the synthetic login model (docs/simulate.md explains each one).
 * Probabilities are per attempt unless named otherwise; logit shifts add on the logit scale.
 */

/** An identity provider tenants sign in through, with its own failure level, latency and error mix. */
export interface IdpModel {
  name: string;
  /** Failure probability of a first attempt for an average tenant, user and hour. */
  firstAttemptFailure: number;
  /** Median latency in ms before app, region, load and incident factors. */
  latencyMedianMs: number;
  /** Error-code weights of a failure (they sum to 1). */
  errorMix: Readonly<Partial<Record<ErrorCode, number>>>;
}

/** Error codes the simulator writes. */
export const ERROR_CODES = [
  'invalid_credentials',
  'mfa_timeout',
  'saml_response_invalid',
  'invalid_grant',
  'user_not_found',
  'upstream_timeout',
] as const;
/** An error code the simulator writes. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/** The five IdPs; a tenant uses one to three consecutive entries of this list. */
export const IDPS: readonly IdpModel[] = [
  {
    name: 'okta-oidc',
    firstAttemptFailure: 0.009,
    latencyMedianMs: 180,
    errorMix: { invalid_credentials: 0.55, mfa_timeout: 0.15, invalid_grant: 0.15, user_not_found: 0.1, upstream_timeout: 0.05 },
  },
  {
    name: 'azure-ad-saml',
    firstAttemptFailure: 0.01,
    latencyMedianMs: 240,
    errorMix: { invalid_credentials: 0.5, mfa_timeout: 0.15, saml_response_invalid: 0.15, user_not_found: 0.12, upstream_timeout: 0.08 },
  },
  {
    name: 'google-oidc',
    firstAttemptFailure: 0.0065,
    latencyMedianMs: 150,
    errorMix: { invalid_credentials: 0.6, mfa_timeout: 0.1, invalid_grant: 0.15, user_not_found: 0.1, upstream_timeout: 0.05 },
  },
  {
    name: 'pingfed-saml',
    firstAttemptFailure: 0.012,
    latencyMedianMs: 300,
    errorMix: { invalid_credentials: 0.45, mfa_timeout: 0.12, saml_response_invalid: 0.2, user_not_found: 0.13, upstream_timeout: 0.1 },
  },
  {
    name: 'adfs-saml',
    firstAttemptFailure: 0.014,
    latencyMedianMs: 380,
    errorMix: { invalid_credentials: 0.45, mfa_timeout: 0.1, saml_response_invalid: 0.22, user_not_found: 0.13, upstream_timeout: 0.1 },
  },
];

/** A client application, with its share of an average tenant's traffic and its effects. */
export interface AppModel {
  name: string;
  /** Share of an average tenant's users whose main app this is (tenants vary around it). */
  weight: number;
  latencyFactor: number;
  /** Shift of the MFA-challenge logit. */
  mfaLogitShift: number;
  /** Shift of the failure logit. */
  failureLogitShift: number;
}

/** The five apps. */
export const APPS: readonly AppModel[] = [
  { name: 'web', weight: 0.45, latencyFactor: 1, mfaLogitShift: 0, failureLogitShift: 0 },
  { name: 'ios', weight: 0.18, latencyFactor: 1.1, mfaLogitShift: -0.4, failureLogitShift: -0.1 },
  { name: 'android', weight: 0.2, latencyFactor: 1.15, mfaLogitShift: -0.4, failureLogitShift: 0.1 },
  { name: 'cli', weight: 0.05, latencyFactor: 0.85, mfaLogitShift: -1.2, failureLogitShift: 0.3 },
  { name: 'admin-portal', weight: 0.12, latencyFactor: 1.05, mfaLogitShift: 1.5, failureLogitShift: 0 },
];

/** A region, with the share of tenants at home there, its UTC offset (for the diurnal cycle) and latency factor. */
export interface RegionModel {
  name: string;
  homeWeight: number;
  utcOffsetHours: number;
  latencyFactor: number;
}

/** The five regions. */
export const REGIONS: readonly RegionModel[] = [
  { name: 'us-east', homeWeight: 0.35, utcOffsetHours: -5, latencyFactor: 1 },
  { name: 'us-west', homeWeight: 0.2, utcOffsetHours: -8, latencyFactor: 1.05 },
  { name: 'eu-west', homeWeight: 0.2, utcOffsetHours: 0, latencyFactor: 1.1 },
  { name: 'eu-central', homeWeight: 0.15, utcOffsetHours: 1, latencyFactor: 1.12 },
  { name: 'ap-south', homeWeight: 0.1, utcOffsetHours: 5.5, latencyFactor: 1.35 },
];

/** Which token field differs in a shadow mismatch, and how often. */
export const SHADOW_DIFFS: readonly { name: string; weight: number }[] = [
  { name: 'sub', weight: 0.1 },
  { name: 'claims', weight: 0.35 },
  { name: 'aud', weight: 0.2 },
  { name: 'scope', weight: 0.2 },
  { name: 'exp', weight: 0.15 },
];

/** The legacy and the candidate provider, as written in the `provider` column. */
export const PROVIDERS = { legacy: 'legacy-idp', candidate: 'nova-auth' } as const;

/** Scalar parameters of the model. */
export const MODEL = {
  /** Tenant size ∝ rank^−zipfExponent (t001 is the largest). */
  zipfExponent: 1.1,
  /** Fewest users a tenant has, however small its weight. */
  minUsersPerTenant: 5,
  /** Mean sessions (login intents) per user per week; sets the number of users. */
  sessionsPerUserWeek: 3,
  /** Session → user pick: user index = floor(users · u^userSkew), so low indexes are heavy users. */
  userSkew: 1.6,
  /** Probability that a tenant uses a 2nd IdP, and a 3rd. */
  secondIdp: 0.4,
  thirdIdp: 0.12,
  /** Share of a tenant's users on its 1st, 2nd, 3rd IdP (renormalised over the IdPs it has). */
  idpWeights: [0.75, 0.2, 0.05],
  /** SD of the tenant's lognormal app-mix multipliers. */
  appMixSd: 0.5,
  /** Share of users living in the tenant's home region; the rest spread over all regions. */
  homeRegionShare: 0.85,
  /** Share of a user's sessions on the user's main app; the rest follow the tenant mix. */
  mainAppShare: 0.7,
  /** SD of the logit offsets: tenant level, user frailty. */
  tenantFailureSd: 0.25,
  userFailureSd: 0.6,
  /** Failure-logit drift per week: shared by all tenants, and SD of each tenant's own. */
  driftPerWeek: 0.02,
  tenantDriftSd: 0.04,
  /** Failure-logit shift at full load (peak hour on a weekday). */
  loadFailureShift: 0.3,
  /** SD of the logit-normal failure shocks per tenant×IdP×hour and per tenant×IdP×day. */
  hourShockSd: 0.5,
  dayShockSd: 0.25,
  /** Failure-logit shift of a retry over the first attempt (a user who just failed tends to fail again). */
  retryLogitShift: 2,
  /** Probability that a user retries after a failure; at most maxAttempts per session. */
  retryProbability: 0.65,
  maxAttempts: 4,
  /** Seconds between a failure and the retry: uniform in [retryGapMinS, retryGapMinS + retryGapSpanS). */
  retryGapMinS: 4,
  retryGapSpanS: 40,
  /** Volume: SD of the lognormal volume shock per tenant×hour; growth per week; weekend factor. */
  volumeShockSd: 0.25,
  volumeGrowthPerWeek: 0.01,
  weekendFactor: 0.3,
  /** Diurnal profile in local time: floor + a 10:00 peak (width 2.5 h) + a 15:00 peak (width 3 h, height 0.75). */
  nightFloor: 0.12,
  /** Incidents: probability per IdP per day, duration 1–4 h, failure-logit shift in [1.5, 3), latency ×[1.5, 2.5). */
  incidentPerIdpDay: 0.05,
  incidentUpstreamShare: 0.7,
  /** Latency: lognormal SD of one attempt, of the hourly idp×region factor; load slowdown at full load. */
  latencySd: 0.45,
  latencyHourSd: 0.08,
  latencyLoadFactor: 0.25,
  /** Latency factor of a failure by code: timeouts are slow, bad passwords fast. */
  upstreamTimeoutLatencyFactor: 12,
  failureLatencyFactor: 0.7,
  /** MFA: tenant base challenge probability (logit mean and SD), user SD. */
  mfaBase: 0.3,
  tenantMfaSd: 0.6,
  userMfaSd: 0.5,
  /** Shadow tokens on candidate traffic: mismatch and shadow_error probabilities. */
  shadowMismatch: 0.0005,
  shadowError: 0.0002,
  /** Mean attempts per session (used only to turn --events-per-day into sessions per day). */
  attemptsPerSession: 1.015,
} as const;
