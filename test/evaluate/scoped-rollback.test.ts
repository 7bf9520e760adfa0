import { describe, expect, it } from 'vitest';
import { cellOverlap, type CandidateCell } from '../../src/evaluate/cell-overlap.js';
import { cohortId, within } from '../../src/evaluate/cohort-id.js';
import { scopedRollback } from '../../src/evaluate/scoped-rollback.js';
import type { Cohort, CohortResult, RollbackRule } from '../../src/types.js';
import { STAGE_2, STAGE_3, STAGE_3_CELLS, STAGE_5, STAGE_5_CELLS } from './demo-rollback.js';
import { result } from './fixtures.js';

/** A cell of a made-up window: candidate attempts and the true effect on success rate. */
interface Cell {
  cohort: Cohort;
  n: number;
  effect: number;
}

/** Per-attempt SD of a success-rate difference (both arms near 95%, equal sizes). */
const SD = 0.3;

/**
 * Results for `cohorts` rolled up from the cells: n-weighted effect, a 95% interval ±1.96·SD/√n, and
 * the verdict that interval gives at tolerance 0.01 (below zero: regression; inside ±0.01: pass).
 */
function rollup(cells: readonly Cell[], cohorts: readonly Cohort[]): CohortResult[] {
  return cohorts.map((cohort) => {
    const inside = cells.filter((c) => within(c.cohort, cohort));
    const n = inside.reduce((s, c) => s + c.n, 0);
    const effect = inside.reduce((s, c) => s + c.n * c.effect, 0) / n;
    const half = (1.959963984540054 * SD) / Math.sqrt(n);
    const ci: [number, number] = [effect - half, effect + half];
    const verdict = ci[1] < 0 ? 'regression' : ci[0] > 0 ? 'improvement' : ci[0] >= -0.01 && ci[1] <= 0.01 ? 'pass' : 'inconclusive';
    return result({ cohort, effect, ci, n, n_control: n, verdict });
  });
}

/** Tenants t1, t2, t3 on IdP a; t3 and t4 on IdP b. */
const PAIRS = [['t1', 'a'], ['t2', 'a'], ['t3', 'a'], ['t3', 'b'], ['t4', 'b']] as const;
/** Everyone, both IdPs, the four tenants and the five tenant × IdP cells. */
const COHORTS: Cohort[] = [{}, { idp: 'a' }, { idp: 'b' }, ...['t1', 't2', 't3', 't4'].map((tenant) => ({ tenant })), ...PAIRS.map(([tenant, idp]) => ({ tenant, idp }))];

/** A window over PAIRS with each pair's attempts and effect. */
function window(sizes: Record<string, number>, effects: Record<string, number>) {
  const cells = PAIRS.map(([tenant, idp]) => ({ cohort: { tenant, idp }, n: sizes[tenant + idp] ?? 10_000, effect: effects[tenant + idp] ?? 0 }));
  const results = rollup(cells, COHORTS);
  const candidateCells: CandidateCell[] = cells.map((c) => ({ cohort: c.cohort, attempts: c.n }));
  return { results, rules: scopedRollback(results, cellOverlap(candidateCells)) };
}

const ids = (results: readonly CohortResult[], indexes: readonly number[] = []) => indexes.map((i) => cohortId(results[i]?.cohort ?? {}) || 'everyone');
const scopes = (rules: readonly RollbackRule[]) => rules.map((r) => r.cohort);

describe('scopedRollback', () => {
  it('rolls back an IdP, not each tenant, when every tenant on it regresses', () => {
    const { results, rules } = window({}, { t1a: -0.02, t2a: -0.02, t3a: -0.02 });
    expect(scopes(rules)).toEqual([{ idp: 'a' }]);
    expect(ids(results, rules[0]?.justified_by)).toEqual(['everyone', 'idp=a', 'tenant=t1', 'tenant=t2', 'tenant=t3', 'tenant=t1|idp=a', 'tenant=t2|idp=a', 'tenant=t3|idp=a']);
    expect(ids(results, rules[0]?.explains)).toEqual(['everyone', 'tenant=t3']);
  });
  it('rolls back the IdP when the tenants that are not significant on their own show the same harm', () => {
    const { results, rules } = window({ t2a: 1500, t3a: 1500 }, { t1a: -0.02, t2a: -0.012, t3a: -0.012 });
    expect(results.filter((r) => r.cohort.idp === 'a' && r.cohort.tenant !== undefined).map((r) => r.verdict)).toEqual(['regression', 'inconclusive', 'inconclusive']);
    expect(scopes(rules)).toEqual([{ idp: 'a' }]);
    const diluted = window({ t2a: 1500, t3a: 1500 }, { t1a: -0.02, t2a: -0.002, t3a: -0.002 });
    expect(scopes(diluted.rules)).toEqual([{ tenant: 't1' }]);
    expect(ids(diluted.results, diluted.rules[0]?.explains)).toEqual(['everyone', 'idp=a']);
  });
  it('keeps a parent that still regresses once the child is removed as a rule besides the child', () => {
    const cells = ['t1', 't2', 't3', 't4', 't5'].map((tenant) => ({ cohort: { tenant }, n: 10_000, effect: tenant === 't1' ? -0.03 : -0.004 }));
    const results = rollup(cells, [{}, ...cells.map((c) => c.cohort)]);
    expect(results.map((r) => r.verdict)).toEqual(['regression', 'regression', 'pass', 'pass', 'pass', 'pass']);
    const rules = scopedRollback(results);
    expect(scopes(rules)).toEqual([{}, { tenant: 't1' }]);
    expect(rules.every((r) => r.explains === undefined)).toBe(true);
  });
  it('keeps a regression no finer cohort explains as a rule of its own', () => {
    const { rules } = window({}, { t3b: -0.01, t4b: -0.01 });
    expect(scopes(rules)).toEqual([{ idp: 'b' }]);
  });
  it('returns no rule without a regression', () => {
    expect(window({}, {}).rules).toEqual([]);
  });
});

describe('scopedRollback on the demo', () => {
  it('stage 2: scopes the regression to the tenant, not to the tenant × IdP with the same traffic', () => {
    expect(scopedRollback(STAGE_2)).toEqual([{ cohort: { tenant: 't002' }, justified_by: [1, 12] }]);
  });
  it('stage 3: explains everyone, google-oidc and us-west by t002 instead of rolling everything back', () => {
    const rules = scopedRollback(STAGE_3, cellOverlap(STAGE_3_CELLS));
    expect(scopes(rules)).toEqual([{ tenant: 't002' }]);
    expect(ids(STAGE_3, rules[0]?.explains)).toEqual(['everyone', 'idp=google-oidc', 'region=us-west']);
    expect(ids(STAGE_3, rules[0]?.justified_by)).toEqual(['everyone', 'tenant=t002', 'idp=google-oidc', 'region=us-west', 'tenant=t002|idp=google-oidc']);
  });
  it('stage 3 without cells: keeps the cross-cutting region and says why', () => {
    const rules = scopedRollback(STAGE_3);
    expect(scopes(rules)).toEqual([{ region: 'us-west' }, { tenant: 't002' }]);
    expect(rules[0]?.note).toBe('region=us-west and tenant=t002 cross-cut by unknown traffic: not subtracted');
    expect(ids(STAGE_3, rules[1]?.explains)).toEqual(['everyone', 'idp=google-oidc']);
  });
  it('stage 5: rolls back t002 and, for p95 latency, ap-south', () => {
    const rules = scopedRollback(STAGE_5, cellOverlap(STAGE_5_CELLS));
    expect(scopes(rules)).toEqual([{ region: 'ap-south' }, { tenant: 't002' }]);
    expect(ids(STAGE_5, rules[1]?.explains)).toEqual(['idp=google-oidc']);
  });
});
