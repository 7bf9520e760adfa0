import { Document, isMap, isScalar } from 'yaml';
import type { Dimension, PlanInput } from './plan-schema.js';
import { DIMENSIONS } from './plan-schema.js';

/** What `storeProfile` returns per provider (most events first). */
export interface ProviderProfile {
  provider: string | null;
  events: number;
  first_ts: Date;
  last_ts: Date;
  latency: number;
  mfa: number;
  shadow: number;
  tenant_values: number;
  idp_values: number;
  app_values: number;
  region_values: number;
  top_error: string | null;
}

const DAY_MS = 86_400_000;
/** Baseline weeks a starting plan asks for (fewer when the store holds less). */
export const BASELINE_DAYS = 28;
/** The stages of a starting plan: share of users and length in days. */
export const STARTING_STAGES = [
  { share: 0.01, days: 3 },
  { share: 0.05, days: 4 },
  { share: 0.25, days: 7 },
  { share: 0.5, days: 7 },
  { share: 1, days: 7 },
] as const;

const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/**
 * A starting plan from what the store holds: the provider with most events as legacy (the next as
 * candidate, or a placeholder), the whole days up to four weeks before the candidate's first event
 * (or the store's last day) as the baseline, stages after
 * it, every dimension with two or more values (and tenant × idp), and the metrics whose columns
 * have data. Returns the content and a comment per top-level key.
 *
 * @throws {RangeError} if `profile` is empty.
 */
export function initPlan(profile: readonly ProviderProfile[]): { content: PlanInput; comments: Record<string, string> } {
  const [legacy, candidate] = profile;
  if (!legacy) throw new RangeError('initPlan needs at least one provider with events');
  const first = Math.min(...profile.map((p) => new Date(p.first_ts).getTime()));
  const last = Math.max(...profile.map((p) => new Date(p.last_ts).getTime()));
  // The baseline ends where the candidate's traffic starts (a rollout in the store is not baseline), else at the last whole day.
  const cut = candidate ? new Date(candidate.first_ts).getTime() : last;
  const end = Math.max(Math.floor(cut / DAY_MS) * DAY_MS, Math.ceil(first / DAY_MS) * DAY_MS + DAY_MS);
  const start = Math.max(Math.ceil(first / DAY_MS) * DAY_MS, end - BASELINE_DAYS * DAY_MS);
  const any = (field: 'latency' | 'mfa' | 'shadow') => profile.some((p) => p[field] > 0);
  const dims = DIMENSIONS.filter((d) => Math.max(...profile.map((p) => p[`${d}_values`])) >= 2);
  const dimensions: Dimension[][] = dims.map((d) => [d]);
  if (dims.includes('tenant') && dims.includes('idp')) dimensions.push(['tenant', 'idp']);
  const topError = legacy.top_error ?? profile.find((p) => p.top_error)?.top_error;
  let at = end;
  const stages = STARTING_STAGES.map((s, i) => {
    const stage = { name: `stage-${i + 1}`, start: day(at), end: day(at + s.days * DAY_MS), share: s.share, unit: 'user' as const };
    at += s.days * DAY_MS;
    return stage;
  });
  const content: PlanInput = {
    name: `${legacy.provider ?? 'legacy'} → ${candidate?.provider ?? 'candidate'} migration`,
    providers: { legacy: legacy.provider ?? '(none)', candidate: candidate?.provider ?? 'candidate-provider' },
    dimensions: dimensions.length ? dimensions : [['tenant']],
    metrics: [
      { name: 'success_rate', tolerance: 0.005 },
      ...(any('latency') ? [{ name: 'latency_p95', tolerance: 0.1 }] : []),
      ...(any('mfa') ? [{ name: 'mfa_rate', tolerance: 0.02 }] : []),
      ...(topError ? [{ name: `error_rate:${topError}`, tolerance: 0.005 }] : []),
      ...(any('shadow') ? [{ name: 'shadow_mismatch_rate', tolerance: 0.002 }] : []),
    ],
    baseline: { start: day(start), end: day(end) },
    stages,
    alpha: 0.05,
    power: 0.8,
  };
  const seen = profile.map((p) => `${p.provider ?? '(none)'} (${p.events.toLocaleString('en-US')} events)`).join(', ');
  const comments: Record<string, string> = {
    name: ' Starting plan written by `stagewise init` from the store; review every value before the rollout.',
    providers: ` Providers seen: ${seen}.${candidate ? '' : ' Only one provider has events: set the candidate.'}`,
    dimensions: ` Cohorts to baseline and judge; dimensions with two or more values in the store: ${dims.join(', ') || 'none'}.`,
    metrics: ' Tolerances: absolute for rates (0.005 = 0.5 points), relative for latency (0.1 = +10%), the noise floor for shadow mismatches.',
    baseline: ` The store holds ${day(first)} to ${day(last)}; the baseline is the whole days, up to ${BASELINE_DAYS}, before ${candidate ? `${candidate.provider ?? 'the candidate'}'s first event` : 'the last day'}.`,
    stages: ' Stages start after the baseline; `stagewise plan` says what each can detect. unit: user or tenant routing.',
    alpha: ' False-alarm level (FDR across cohorts) and power for stage planning.',
  };
  return { content, comments };
}

/** The plan as YAML with a comment above each top-level key. */
export function planYaml(content: PlanInput, comments: Readonly<Record<string, string>>): string {
  const doc = new Document(content);
  if (isMap(doc.contents)) {
    for (const pair of doc.contents.items) {
      const comment = isScalar(pair.key) && typeof pair.key.value === 'string' ? comments[pair.key.value] : undefined;
      if (isScalar(pair.key) && comment !== undefined) pair.key.commentBefore = comment;
    }
  }
  return doc.toString();
}
