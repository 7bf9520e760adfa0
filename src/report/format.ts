import { DIMENSIONS } from '../plan/plan-schema.js';
import type { Cohort } from '../types.js';
import { metricKind } from './metric-kind.js';

const MINUS = '\u2212';

const grouped = (digits: number) =>
  new Intl.NumberFormat('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits, useGrouping: true });
const FORMATS = [0, 1, 2, 3].map(grouped);
const fixed = (digits: number) => FORMATS[digits] ?? grouped(digits);
const INTEGER = fixed(0);

function signed(text: string, value: number, sign: boolean): string {
  const body = text.replace('-', '');
  if (value < 0 && body.replace(/[0.,]/g, '') !== '') return `${MINUS}${body}`;
  return sign && value > 0 && body.replace(/[0.,]/g, '') !== '' ? `+${body}` : body;
}

/** An integer with thousands separators: `12,345`. */
export function formatCount(n: number): string {
  return signed(INTEGER.format(n), n, false);
}

/** A proportion as a percentage: 0.9731 → `97.3%` (two decimals below 1%, so small rates keep a digit). */
export function formatPercent(p: number): string {
  const percent = p * 100;
  return `${signed(fixed(Math.abs(percent) < 1 ? 2 : 1).format(percent), percent, false)}%`;
}

/** A difference of proportions in percentage points with its sign: −0.031 → `−3.1 pp`. */
export function formatPp(d: number, sign = true, digits = Math.abs(d) < 0.001 ? 2 : 1): string {
  const pp = d * 100;
  return `${signed(fixed(digits).format(pp), pp, sign)} pp`;
}

/** A relative change with its sign: 0.124 → `+12.4%`. */
export function formatRelative(r: number, sign = true, digits = 1): string {
  return `${signed(fixed(digits).format(r * 100), r, sign)}%`;
}

/** Milliseconds with thousands separators: 1234.4 → `1,234 ms`. */
export function formatMs(ms: number): string {
  return `${formatCount(Math.round(ms))} ms`;
}

/** A p-value for people: `< 0.0001`, `0.003`, `0.42`. */
export function formatP(p: number): string {
  if (p < 0.0001) return '< 0.0001';
  if (p < 0.01) return p.toFixed(4);
  return p.toFixed(3);
}

/** A metric's value (rate in %, latency in ms); `—` when missing. */
export function formatValue(metric: string, value: number | null): string {
  if (value === null) return '—';
  return metricKind(metric) === 'latency' ? formatMs(value) : formatPercent(value);
}

/**
 * Decimals for an effect and its interval, set by the interval's precision: two when its
 * half-width is under one unit (pp, or % for latency), else one. An effect never shows more
 * digits than the data can support, and an effect and its CI always agree.
 */
export function effectDigits(ci: readonly [number, number] | null): number {
  if (ci === null) return 1;
  return Math.abs(ci[1] - ci[0]) * 50 < 1 ? 2 : 1;
}

/** An effect in the metric's unit (pp for rates, relative % for latency); `—` when missing. */
export function formatEffect(metric: string, effect: number | null, sign = true, digits?: number): string {
  if (effect === null) return '—';
  return metricKind(metric) === 'latency' ? formatRelative(effect, sign, digits) : formatPp(effect, sign, digits);
}

/** A confidence interval in the metric's unit, both ends at the same precision: `−4.4 to −1.8`; `—` when missing. */
export function formatCi(metric: string, ci: readonly [number, number] | null): string {
  if (ci === null) return '—';
  const digits = effectDigits(ci);
  const [lo, hi] = ci.map((x) => formatEffect(metric, x, true, digits).replace(/ pp$|%$/, ''));
  return `${lo} to ${hi}`;
}

/** A tolerance or detectable size, unsigned: `0.50 pp`, `0.43 pp`, `1.2 pp`, `10.0%`. */
export function formatSize(metric: string, size: number): string {
  return formatEffect(metric, size, false, metricKind(metric) !== 'latency' && Math.abs(size) < 0.01 ? 2 : 1);
}

/** The confidence level for α: 0.05 → `95%`. */
export function formatLevel(alpha: number): string {
  return `${Number(((1 - alpha) * 100).toFixed(2))}%`;
}

/** A cohort for people: `t012` for a one-dimension cohort, `tenant t012 × idp okta` otherwise, `everyone` for `{}`. */
export function cohortLabel(cohort: Cohort): string {
  const entries = Object.entries(cohort).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return 'everyone';
  if (entries.length === 1) return entries[0]?.[1] ?? '';
  return entries.map(([k, v]) => `${k} ${v}`).join(' × ');
}

/** A cohort with its dimension names: `tenant t012`, `tenant t012 × idp okta`, `everyone`. */
export function cohortName(cohort: Cohort): string {
  const entries = Object.entries(cohort).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return 'everyone';
  return entries.map(([k, v]) => `${k} ${v}`).join(' × ');
}

/** A cohort's stable key: `tenant=t012|idp=okta`; '' for everyone. */
export function cohortKey(cohort: Cohort): string {
  return DIMENSIONS.filter((d) => cohort[d] !== undefined)
    .map((d) => `${d}=${cohort[d]}`)
    .join('|');
}

/** An ISO instant as `2026-10-03 14:00 UTC`. */
export function formatInstant(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
