/** How a metric's values and effects are shown: rates in %, effects in percentage points; latency in ms, effects relative. */
export type MetricKind = 'rate' | 'latency' | 'shadow';

/** The kind of a plan metric name (`success_rate`, `latency_p95`, `shadow_mismatch_rate`, `error_rate:<code>`). */
export function metricKind(metric: string): MetricKind {
  if (/^latency_p\d+$/.test(metric)) return 'latency';
  if (metric === 'shadow_mismatch_rate') return 'shadow';
  return 'rate';
}

/** A metric's name for people: `success rate`, `p95 latency`, `invalid_grant error rate`. */
export function metricLabel(metric: string): string {
  const latency = /^latency_p(\d+)$/.exec(metric);
  if (latency) return `p${latency[1]} latency`;
  if (metric.startsWith('error_rate:')) return `${metric.slice('error_rate:'.length)} error rate`;
  if (metric === 'mfa_rate') return 'MFA challenge rate';
  return metric.replaceAll('_', ' ');
}
