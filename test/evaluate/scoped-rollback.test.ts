import { describe, expect, it } from 'vitest';
import { flagdDefinition, type JsonLogic } from '../../src/evaluate/flagd.js';
import { cellOverlap } from '../../src/evaluate/cell-overlap.js';
import { scopedRollback as rollbackOf } from '../../src/evaluate/scoped-rollback.js';
import type { Cohort, CohortResult, RollbackRule } from '../../src/types.js';
import { result } from './fixtures.js';

/** A JsonLogic evaluator for the operators flagdDefinition emits: if, and, ==, in, var. */
function evaluate(logic: JsonLogic, context: Record<string, string>): unknown {
  if (Array.isArray(logic)) return logic.map((l) => evaluate(l, context));
  if (logic === null || typeof logic !== 'object') return logic;
  const [operator, raw] = Object.entries(logic)[0] ?? [];
  const args = (Array.isArray(raw) ? raw : [raw]) as JsonLogic[];
  switch (operator) {
    case 'var':
      return context[String(args[0])] ?? null;
    case '==':
      return evaluate(args[0] as JsonLogic, context) === evaluate(args[1] as JsonLogic, context);
    case 'and':
      return args.every((a) => evaluate(a, context) === true);
    case 'in':
      return (evaluate(args[1] as JsonLogic, context) as unknown[]).includes(evaluate(args[0] as JsonLogic, context));
    case 'if':
      for (let i = 0; i + 1 < args.length; i += 2) if (evaluate(args[i] as JsonLogic, context) === true) return evaluate(args[i + 1] as JsonLogic, context);
      return args.length % 2 ? evaluate(args[args.length - 1] as JsonLogic, context) : null;
    default:
      throw new Error(`unexpected JsonLogic operator ${String(operator)}`);
  }
}

/** The variant flagd would serve a login with this context. */
function variantFor(rules: readonly RollbackRule[], context: Record<string, string>): string {
  const flag = flagdDefinition(rules, { legacy: 'old', candidate: 'new' }).flags['auth-provider'];
  const targeting = flag.targeting as { if?: JsonLogic[] };
  const variant = targeting.if ? (evaluate({ if: targeting.if }, context) as string | null) : null;
  return flag.variants[(variant ?? flag.defaultVariant) as 'legacy' | 'candidate'];
}

const tenants = ['t1', 't2', 't3'];
/** The window's cells: t1, t2, t3 on idp a; t3 and t4 on idp b; 1000 candidate attempts each. */
const cells = ([['t1', 'a'], ['t2', 'a'], ['t3', 'a'], ['t3', 'b'], ['t4', 'b']] as const).map(([tenant, idp]) => ({ cohort: { tenant, idp }, attempts: 1000 }));
const scopedRollback = (results: readonly CohortResult[]) => rollbackOf(results, cellOverlap(cells));
/** Results for everyone, idps a and b, three tenants on idp a (t3 also on b), and tenant × idp cells. */
function evaluation(regressed: (cohort: Cohort) => boolean): CohortResult[] {
  const cohorts: Cohort[] = [
    {},
    { idp: 'a' },
    { idp: 'b' },
    ...tenants.map((tenant) => ({ tenant })),
    ...tenants.map((tenant) => ({ tenant, idp: 'a' })),
    { tenant: 't3', idp: 'b' },
    { tenant: 't4', idp: 'b' },
  ];
  return cohorts.map((cohort) => (regressed(cohort) ? result({ cohort, verdict: 'regression', effect: -0.02, ci: [-0.03, -0.01] }) : result({ cohort })));
}

describe('scopedRollback', () => {
  it('rolls back an IdP, not each tenant, when every tenant on it regresses', () => {
    const results = evaluation((c) => c.idp === 'a' || (c.tenant !== undefined && c.idp === undefined && c.tenant !== 't3') || Object.keys(c).length === 0);
    const rules = scopedRollback(results);
    expect(rules.map((r) => r.cohort)).toEqual([{ idp: 'a' }]);
    const justified = rules[0]?.justified_by.map((i) => results[i]?.cohort);
    expect(justified).toEqual(expect.arrayContaining([{ idp: 'a' }, { tenant: 't1', idp: 'a' }, { tenant: 't3', idp: 'a' }, {}]));
  });
  it('rolls back the IdP when the tenants that are not significant on their own show the same harm', () => {
    const results = evaluation(() => false).map((r) => {
      if (r.cohort.idp !== 'a' || r.cohort.tenant === 't3' && r.cohort.idp === undefined) return r;
      const significant = r.cohort.tenant === undefined || r.cohort.tenant === 't1';
      return { ...r, effect: -0.02, verdict: significant ? ('regression' as const) : ('inconclusive' as const) };
    });
    expect(scopedRollback(results).map((r) => r.cohort)).toEqual([{ idp: 'a' }]);
    const diluted = results.map((r) => (r.cohort.idp === 'a' && r.cohort.tenant !== undefined && r.cohort.tenant !== 't1' ? { ...r, effect: -0.002 } : r));
    expect(scopedRollback(diluted).map((r) => r.cohort)).toEqual([{ tenant: 't1', idp: 'a' }]);
  });
  it('scopes one tenant on one IdP to that pair', () => {
    const results = evaluation((c) => c.tenant === 't2' || (c.idp === 'a' && c.tenant === undefined));
    expect(scopedRollback(results).map((r) => r.cohort)).toEqual([{ tenant: 't2', idp: 'a' }]);
  });
  it('keeps a regression no finer cohort explains as a rule of its own', () => {
    const results = evaluation((c) => c.idp === 'b' && c.tenant === undefined);
    expect(scopedRollback(results).map((r) => r.cohort)).toEqual([{ idp: 'b' }]);
  });
  it('without cell overlaps keeps a cross-cutting regression as its own rule', () => {
    const results = evaluation((c) => c.idp === 'a' || (c.tenant !== undefined && c.idp === undefined && c.tenant !== 't3'));
    expect(rollbackOf(results).map((r) => r.cohort)).toEqual([{ idp: 'a' }, { tenant: 't1' }, { tenant: 't2' }]);
  });
  it('returns no rule without a regression', () => {
    expect(scopedRollback(evaluation(() => false))).toEqual([]);
  });
});

describe('flagdDefinition', () => {
  const rules: RollbackRule[] = [
    { cohort: { idp: 'a' }, justified_by: [1] },
    { cohort: { idp: 'c' }, justified_by: [2] },
    { cohort: { tenant: 't9', idp: 'b' }, justified_by: [3] },
  ];
  it('sends exactly the rules cohorts to the legacy provider', () => {
    expect(variantFor(rules, { tenant: 't1', idp: 'a', app: 'x', region: 'eu' })).toBe('old');
    expect(variantFor(rules, { tenant: 't1', idp: 'c' })).toBe('old');
    expect(variantFor(rules, { tenant: 't9', idp: 'b' })).toBe('old');
    expect(variantFor(rules, { tenant: 't8', idp: 'b' })).toBe('new');
    expect(variantFor(rules, { tenant: 't9', idp: 'd' })).toBe('new');
  });
  it('merges one-dimension rules into one `in` and writes the flagd schema', () => {
    const flag = flagdDefinition(rules, { legacy: 'old', candidate: 'new' });
    expect(flag.$schema).toBe('https://flagd.dev/schema/v0/flags.json');
    expect(flag.flags['auth-provider'].targeting).toEqual({
      if: [
        { in: [{ var: 'idp' }, ['a', 'c']] }, 'legacy',
        { and: [{ '==': [{ var: 'tenant' }, 't9'] }, { '==': [{ var: 'idp' }, 'b'] }] }, 'legacy',
        'candidate',
      ],
    });
  });
  it('serves everyone the candidate without rules and the legacy provider for a rule on everyone', () => {
    expect(variantFor([], { tenant: 't1' })).toBe('new');
    expect(variantFor([{ cohort: {}, justified_by: [0] }], { tenant: 't1' })).toBe('old');
  });
});
