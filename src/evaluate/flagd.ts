import { DIMENSIONS } from '../plan/plan-schema.js';
import type { Dimension, RollbackRule } from '../types.js';

/** A JsonLogic expression, as flagd's targeting uses it. */
export type JsonLogic = boolean | string | number | JsonLogic[] | { [operator: string]: JsonLogic };

/** An OpenFeature flagd flag definition file. */
export interface FlagdDefinition {
  $schema: 'https://flagd.dev/schema/v0/flags.json';
  flags: {
    'auth-provider': {
      state: 'ENABLED';
      variants: { legacy: string; candidate: string };
      defaultVariant: 'legacy' | 'candidate';
      targeting: { if: JsonLogic[] } | Record<string, never>;
    };
  };
}

/**
 * The flagd flag `auth-provider` that sends the rollback rules' cohorts to the legacy provider and
 * everyone else to the candidate. One-dimension rules on the same dimension merge into one
 * `{"in": [{"var": dim}, [values]]}`; a rule on several dimensions is an `and` of `==`. A rule on
 * everyone makes `legacy` the default. Evaluation context keys: tenant, idp, app, region.
 */
export function flagdDefinition(rules: readonly RollbackRule[], providers: { legacy: string; candidate: string }): FlagdDefinition {
  const everyone = rules.some((r) => DIMENSIONS.every((d) => r.cohort[d] === undefined));
  const conditions: JsonLogic[] = [];
  const singles = new Map<Dimension, string[]>();
  for (const { cohort } of rules) {
    const dims = DIMENSIONS.filter((d) => cohort[d] !== undefined);
    if (dims.length === 1 && dims[0]) {
      const dim = dims[0];
      const values = singles.get(dim);
      if (values) values.push(cohort[dim] ?? '');
      else singles.set(dim, [cohort[dim] ?? '']);
    } else if (dims.length > 1) {
      conditions.push({ and: dims.map((d) => ({ '==': [{ var: d }, cohort[d] ?? ''] })) });
    }
  }
  const merged: JsonLogic[] = [...singles].map(([dim, values]) =>
    values.length === 1 ? { '==': [{ var: dim }, values[0] ?? ''] } : { in: [{ var: dim }, values] },
  );
  const all = [...merged, ...conditions];
  const targeting = everyone || all.length === 0 ? {} : { if: [...all.flatMap((c) => [c, 'legacy']), 'candidate'] };
  return {
    $schema: 'https://flagd.dev/schema/v0/flags.json',
    flags: {
      'auth-provider': {
        state: 'ENABLED',
        variants: { legacy: providers.legacy, candidate: providers.candidate },
        defaultVariant: everyone ? 'legacy' : 'candidate',
        targeting,
      },
    },
  };
}
