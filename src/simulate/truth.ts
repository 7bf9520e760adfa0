import type { Injection } from './injection.js';
import { APPS, IDPS, MODEL, REGIONS } from './model.js';
import type { SimulateOptions } from './options.js';
import type { RolloutSchedule } from './schedule.js';

/** An upstream IdP incident as the simulator drew it (it hits both providers). */
export interface TruthIncident {
  idp: string;
  start: string;
  end: string;
  /** Added to the failure logit of every attempt through this IdP while it lasts. */
  failure_logit_shift: number;
  latency_multiplier: number;
}

/** A simulated tenant: its share of traffic, home region, IdPs (main first) and user count. */
export interface TruthTenant {
  tenant: string;
  weight: number;
  home_region: string;
  idps: string[];
  users: number;
  /** With tenant routing, the stage (or `post`) in which the whole tenant moves to the candidate. */
  moves_in?: string;
}

/** An injected effect with the instant it starts. */
export interface TruthInjection extends Injection {
  start: string;
}

/** What `truth.json` holds: the options, the injected effects and incidents, and the model's parameters. */
export interface SimulationTruth {
  schema: 'stagewise.simulation-truth/v1';
  seed: number;
  options: {
    days: number;
    tenants: number;
    start: string;
    events_per_day: number;
    routing: 'user' | 'tenant';
  };
  schedule: {
    baseline: { start: string; end: string };
    stages: { name: string; start: string; end: string; share: number }[];
    post_rollout: { start: string; end: string };
  };
  injections: TruthInjection[];
  incidents: TruthIncident[];
  tenants: TruthTenant[];
  model: { scalars: typeof MODEL; idps: typeof IDPS; apps: typeof APPS; regions: typeof REGIONS };
}

/** The truth document of a simulation. */
export function simulationTruth(
  options: SimulateOptions,
  schedule: RolloutSchedule,
  injections: readonly TruthInjection[],
  incidents: readonly TruthIncident[],
  tenants: readonly TruthTenant[],
): SimulationTruth {
  const iso = (date: Date) => date.toISOString();
  return {
    schema: 'stagewise.simulation-truth/v1',
    seed: options.seed,
    options: {
      days: options.days,
      tenants: options.tenants,
      start: iso(options.start),
      events_per_day: options.eventsPerDay,
      routing: options.routing,
    },
    schedule: {
      baseline: { start: iso(schedule.baseline.start), end: iso(schedule.baseline.end) },
      stages: schedule.stages.map((s) => ({ name: s.name, start: iso(s.start), end: iso(s.end), share: s.share })),
      post_rollout: { start: iso(schedule.post.start), end: iso(schedule.post.end) },
    },
    injections: [...injections],
    incidents: [...incidents],
    tenants: [...tenants],
    model: { scalars: MODEL, idps: IDPS, apps: APPS, regions: REGIONS },
  };
}
