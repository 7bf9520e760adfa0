import { describe, expect, it } from 'vitest';
import { cohortSeries, flaggedResults, hourOfWeek, seriesPeriod } from '../../src/report/cohort-series.js';
import type { CohortBaseline, Evaluation } from '../../src/types.js';
import { fixtureInput } from './report-fixture.js';

const model: CohortBaseline = {
  snapshotId: 's', dimensions: ['tenant'], cohort: { tenant: 't012' }, cohortKey: 'tenant=t012', metric: 'success_rate',
  windows: 1, n: 1, x: 1, level: Math.log(0.97 / 0.03), trendPerDay: 0.1, tBar: new Date('2026-10-20T00:00:00Z'),
  varLevel: 0.0004, varTrend: 0.0001, covLevelTrend: 0, tau2: 0.01, phi: 1, shapeKey: 'k', shapeSource: 'own', shrunk: false, shrinkWeight: 1, mean: 0.97,
};
const logit = (p: number) => Math.log(p / (1 - p));
const invLogit = (x: number) => 1 / (1 + Math.exp(-x));

describe('hourOfWeek', () => {
  it('counts from Monday 00:00 UTC', () => {
    expect(hourOfWeek(Date.parse('2026-10-19T00:00:00Z'))).toBe(0); // a Monday
    expect(hourOfWeek(Date.parse('2026-10-25T23:00:00Z'))).toBe(167); // the Sunday after
  });
});

describe('cohortSeries', () => {
  it('projects the logit model with trend and shape, and a band from parameter, τ² and binomial variance', () => {
    const shape = new Float64Array(168);
    shape[hourOfWeek(Date.parse('2026-10-21T00:00:00Z'))] = -0.2;
    const rows = [
      { hour: '2026-10-21T00:00:00Z', provider: 'auth0', n: 600, x: 580 },
      { hour: '2026-10-21T00:00:00Z', provider: 'keycloak', n: 200, x: 190 },
    ];
    const series = cohortSeries(rows, model, shape);
    const eta = logit(0.97) + 0.1 * 1 - 0.2;
    const half = 1.959963984540054 * Math.sqrt(0.0004 + 0.0001 + 0.01 + 1 / (800 * invLogit(eta) * (1 - invLogit(eta))));
    expect(series.points).toHaveLength(2);
    const [legacy, candidate] = series.points;
    expect(legacy?.expected).toBeCloseTo(invLogit(eta), 12);
    expect(legacy?.lower).toBeCloseTo(invLogit(eta - half), 12);
    expect(legacy?.upper).toBeCloseTo(invLogit(eta + half), 12);
    expect(legacy?.observed).toBeCloseTo(580 / 600, 12);
    expect(candidate?.observed).toBeCloseTo(0.95, 12);
    expect(candidate?.lower).toBe(legacy?.lower);
  });
  it('uses the log scale for latency quantiles and the row value as observed ms', () => {
    const latency = { ...model, metric: 'latency_p95', level: Math.log(400), trendPerDay: 0, tau2: 0.04, varLevel: 0, varTrend: 0 };
    const [point] = cohortSeries([{ hour: '2026-10-20T00:00:00Z', provider: 'auth0', n: 50, x: 420 }], latency, undefined).points;
    expect(point?.expected).toBeCloseTo(400, 9);
    expect(point?.upper).toBeCloseTo(400 * Math.exp(1.959963984540054 * 0.2), 9);
    expect(point?.observed).toBe(420);
  });
  it('throws a RangeError for shadow metrics, which have no baseline model', () => {
    expect(() => cohortSeries([], { ...model, metric: 'shadow_mismatch_rate' }, undefined)).toThrow(RangeError);
  });
});

describe('flaggedResults', () => {
  it('takes regressions, then inconclusive results, without shadow metrics, each cohort × metric once', () => {
    const flagged = flaggedResults(fixtureInput().evaluations, 12).map((r) => `${JSON.stringify(r.cohort)} ${r.metric}`);
    expect(flagged).toEqual([
      '{"tenant":"t012"} success_rate',
      '{"tenant":"<img src=x onerror=window.__xss=1>"} latency_p95',
      '{"tenant":"t019"} success_rate',
    ]);
    expect(flaggedResults(fixtureInput().evaluations, 1)).toHaveLength(1);
  });
});

describe('seriesPeriod', () => {
  it('starts a week before the first window (not before the baseline data) and ends with the last window', () => {
    const evaluations = fixtureInput().evaluations as Evaluation[];
    expect(seriesPeriod(evaluations, new Date('2026-09-21T00:00:00Z'))).toEqual({ from: new Date('2026-10-12T00:00:00Z'), to: new Date('2026-10-23T18:00:00Z') });
    expect(seriesPeriod(evaluations, new Date('2026-10-15T00:00:00Z')).from).toEqual(new Date('2026-10-15T00:00:00Z'));
  });
});
