import { DIMENSIONS } from '../plan/plan-schema.js';
import type { Cohort, CohortResult, Dimension, RollbackRule } from '../types.js';
import { cohortDepth, cohortId, within } from './cohort-id.js';

interface Node {
  cohort: Cohort;
  dims: string;
  regressed: boolean;
}

const dimsOf = (cohort: Cohort): string => DIMENSIONS.filter((d) => cohort[d] !== undefined).join(',');
const intersects = (a: Cohort, b: Cohort): boolean => DIMENSIONS.every((d) => a[d] === undefined || b[d] === undefined || a[d] === b[d]);

/**
 * The smallest set of rollback rules, each at the most general scope the evidence supports.
 * A regressed cohort becomes a rule when it has no finer cohorts to look into, or when, for some
 * next-finer dimension set, it has two or more judgeable sub-cohorts and every one of them
 * regressed ("every tenant on this IdP regresses" → `{idp}`, not one rule per tenant). Otherwise
 * its regressed sub-cohorts are tried in turn (one tenant on one IdP → `{tenant, idp}`). Scopes
 * are tried from the most general down; a scope inside an accepted rule is skipped. A regression
 * that no rule touches gets a rule of its own. `justified_by` lists the regressions inside the
 * rule's cohort and those of enclosing cohorts it explains.
 */
export function scopedRollback(results: readonly CohortResult[]): RollbackRule[] {
  const nodes = new Map<string, Node>();
  results.forEach((r) => {
    if (r.verdict === 'insufficient_data' || r.n === 0) return;
    const id = cohortId(r.cohort);
    const node = nodes.get(id) ?? { cohort: r.cohort, dims: dimsOf(r.cohort), regressed: false };
    node.regressed ||= r.verdict === 'regression';
    nodes.set(id, node);
  });
  const order = [...nodes.values()]
    .filter((n) => n.regressed)
    .sort((a, b) => cohortDepth(a.cohort) - cohortDepth(b.cohort) || cohortId(a.cohort).localeCompare(cohortId(b.cohort)));
  const accepted: Cohort[] = [];
  for (const node of order) {
    if (accepted.some((rule) => within(node.cohort, rule))) continue;
    if (supported(node, nodes)) accepted.push(node.cohort);
  }
  for (const node of order) {
    if (!accepted.some((rule) => intersects(rule, node.cohort))) accepted.push(node.cohort);
  }
  return accepted.map((cohort) => ({
    cohort,
    justified_by: results.flatMap((r, i) =>
      r.verdict === 'regression' && (within(r.cohort, cohort) || within(cohort, r.cohort)) ? [i] : [],
    ),
  }));
}

function supported(node: Node, nodes: ReadonlyMap<string, Node>): boolean {
  const depth = cohortDepth(node.cohort);
  const children = [...nodes.values()].filter((n) => cohortDepth(n.cohort) > depth && within(n.cohort, node.cohort));
  if (children.length === 0) return true;
  const childSets = new Set(children.map((c) => c.dims));
  const nextFiner = [...childSets].filter(
    (set) => ![...childSets].some((other) => other !== set && isSubset(other, set)),
  );
  return nextFiner.some((set) => {
    const kids = children.filter((c) => c.dims === set);
    return kids.length >= 2 && kids.every((k) => k.regressed);
  });
}

const isSubset = (small: string, big: string): boolean => {
  const bigDims = new Set(big.split(','));
  return small.split(',').every((d) => bigDims.has(d as Dimension));
};
