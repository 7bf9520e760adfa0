import { describe, expect, it } from 'vitest';
import { flagdDefinition, type JsonLogic } from '../../src/evaluate/flagd.js';
import type { RollbackRule } from '../../src/types.js';

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
