import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { DIMENSIONS, normaliseInstant, PlanSchema, type Dimension, type PlanFile } from './plan-schema.js';

/** A metric as the rest of the toolkit uses it, with its family and direction resolved. */
export interface PlanMetric {
  /** The name as written in the plan (`success_rate`, `latency_p95`, `error_rate:invalid_grant`). */
  name: string;
  /** What kind of statistic it is. */
  family: 'rate' | 'latency_quantile' | 'shadow';
  /** For `latency_quantile`, the quantile in (0, 1); for `error_rate:<code>`, the code. */
  quantile?: number;
  errorCode?: string;
  /** Tolerated regression: absolute for rates, relative for latency, the tolerated rate for shadow. */
  tolerance: number;
  direction: 'higher_is_better' | 'lower_is_better';
}

/** A stage with parsed instants. */
export interface PlanStage {
  name: string;
  start: Date;
  end: Date;
  share: number;
  unit: 'user' | 'tenant';
}

/** A validated rollout plan, with instants parsed and a content hash. */
export interface Plan {
  name: string;
  providers: { legacy: string; candidate: string };
  dimensions: readonly (readonly Dimension[])[];
  metrics: readonly PlanMetric[];
  baseline: { start: Date; end: Date };
  stages: readonly PlanStage[];
  alpha: number;
  power: number;
  postRollout?: { start: Date; end: Date; holdbackShare: number };
  /** sha256 of the plan's canonical JSON (keys sorted, defaults filled): names the plan in snapshots and evaluations. */
  hash: string;
  /** The validated file content, defaults filled. */
  file: PlanFile;
}

/** The outcome of checking a plan: the plan, or one message per problem with its path. */
export type PlanCheck = { ok: true; plan: Plan } | { ok: false; problems: string[] };

/** Validates parsed plan content (from JSON or YAML) and returns the plan or every problem found. */
export function checkPlan(content: unknown): PlanCheck {
  const parsed = PlanSchema.safeParse(content);
  if (!parsed.success) return { ok: false, problems: parsed.error.issues.map(describeIssue) };
  const file = parsed.data;
  const problems = crossFieldProblems(file);
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, plan: toPlan(file) };
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const where = formatPath(issue.path);
  return where ? `${where}: ${issue.message}` : issue.message;
}

/** `['stages', 2, 'end']` → `stages[2].end`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, key) => {
    if (typeof key === 'number') return `${text}[${key}]`;
    return text ? `${text}.${String(key)}` : String(key);
  }, '');
}

function crossFieldProblems(file: PlanFile): string[] {
  const problems: string[] = [];
  const at = (text: string) => Date.parse(normaliseInstant(text));
  if (file.providers.legacy === file.providers.candidate) {
    problems.push('providers.candidate is the same as providers.legacy');
  }
  if (at(file.baseline.end) <= at(file.baseline.start)) problems.push('baseline.end is not after baseline.start');
  const names = new Set<string>();
  file.stages.forEach((stage, i) => {
    if (at(stage.end) <= at(stage.start)) problems.push(`stages[${i}].end is before stages[${i}].start`);
    if (names.has(stage.name)) problems.push(`stages[${i}].name "${stage.name}" is used by an earlier stage`);
    names.add(stage.name);
    const previous = file.stages[i - 1];
    if (previous && at(stage.start) < at(previous.end)) problems.push(`stages[${i}].start is before stages[${i - 1}].end`);
    if (previous && stage.share < previous.share) problems.push(`stages[${i}].share is smaller than stages[${i - 1}].share`);
  });
  const first = file.stages[0];
  if (first && at(first.start) < at(file.baseline.end)) problems.push('stages[0].start is before baseline.end');
  file.dimensions.forEach((set, i) => {
    if (new Set(set).size !== set.length) problems.push(`dimensions[${i}] names a dimension twice`);
  });
  const metricNames = new Set<string>();
  file.metrics.forEach((metric, i) => {
    if (metricNames.has(metric.name)) problems.push(`metrics[${i}].name "${metric.name}" is listed twice`);
    metricNames.add(metric.name);
    if (metric.name.endsWith('_rate') && !metric.name.startsWith('latency') && metric.tolerance >= 1) {
      problems.push(`metrics[${i}].tolerance must be below 1 for a rate (0.005 = 0.5 percentage points)`);
    }
  });
  const post = file.post_rollout;
  const last = file.stages[file.stages.length - 1];
  if (post && last && at(post.end) <= at(post.start ?? last.end)) problems.push('post_rollout.end is not after its start');
  return problems;
}

function toMetric(metric: PlanFile['metrics'][number]): PlanMetric {
  const name = metric.name;
  const direction = metric.direction ?? (name === 'success_rate' ? 'higher_is_better' : 'lower_is_better');
  const latency = /^latency_p(\d+)$/.exec(name);
  if (latency) return { name, family: 'latency_quantile', quantile: Number(latency[1]) / 100, tolerance: metric.tolerance, direction };
  if (name === 'shadow_mismatch_rate') return { name, family: 'shadow', tolerance: metric.tolerance, direction };
  if (name.startsWith('error_rate:')) {
    return { name, family: 'rate', errorCode: name.slice('error_rate:'.length), tolerance: metric.tolerance, direction };
  }
  return { name, family: 'rate', tolerance: metric.tolerance, direction };
}

function toPlan(file: PlanFile): Plan {
  const date = (text: string) => new Date(normaliseInstant(text));
  const last = file.stages[file.stages.length - 1];
  const plan: Plan = {
    name: file.name,
    providers: file.providers,
    dimensions: file.dimensions,
    metrics: file.metrics.map(toMetric),
    baseline: { start: date(file.baseline.start), end: date(file.baseline.end) },
    stages: file.stages.map((s) => ({ name: s.name, start: date(s.start), end: date(s.end), share: s.share, unit: s.unit })),
    alpha: file.alpha,
    power: file.power,
    hash: planHash(file),
    file,
  };
  if (file.post_rollout && last) {
    plan.postRollout = {
      start: date(file.post_rollout.start ?? last.end),
      end: date(file.post_rollout.end),
      holdbackShare: file.post_rollout.holdback_share,
    };
  }
  return plan;
}

/** sha256 of the plan's canonical JSON: object keys sorted at every level, `$schema` left out. */
export function planHash(file: PlanFile): string {
  const { $schema: _ignored, ...content } = file;
  return createHash('sha256').update(canonicalJson(content)).digest('hex');
}

/** JSON with object keys sorted, so equal content gives equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The cohort dimensions every plan may use. */
export { DIMENSIONS };
