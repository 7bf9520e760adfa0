import normal from '@stdlib/stats-base-dists-normal';
import { DIMENSIONS } from '../plan/plan-schema.js';
import type { Cohort, CohortResult, RollbackRule } from '../types.js';
import { cohortDepth, cohortId, within } from './cohort-id.js';
import { residualEffect, standardError, type EffectPiece } from './residual-effect.js';
import { dimsOf, enclosing, enclosingIndex, spreadSet } from './spread-set.js';

/** Candidate attempts in the intersection of two cohorts (exact from the window's cells when the caller knows them). */
export type Overlap = (a: Cohort, b: Cohort) => number;

/** One metric's regressions on the same traffic, under the most general cohort that carries it. */
interface Finding {
  metric: string;
  scope: Cohort;
  /** The scope and the regressed cohorts with its traffic (e.g. `tenant=t2` and `tenant=t2|idp=a` when t2 is only on a). */
  members: Cohort[];
  indexes: number[];
  /** The most general of the regressions. */
  result: CohortResult;
}

interface Rule {
  cohort: Cohort;
  members: Cohort[];
  justified: Set<number>;
  explains: Set<number>;
  notes: string[];
}

const intersects = (a: Cohort, b: Cohort): boolean => DIMENSIONS.every((d) => a[d] === undefined || b[d] === undefined || a[d] === b[d]);
const key = (metric: string, cohort: Cohort): string => `${metric}|${cohortId(cohort)}`;
const label = (cohort: Cohort): string => cohortId(cohort) || 'everyone';

/**
 * The narrowest set of rollback rules that explains the regressions, each at the most general
 * scope the evidence supports (docs/evaluate.md, "Scoped rollback").
 *
 * 1. Regressions on the same traffic (a cohort inside another with the same n and n_control, or,
 *    with `overlap`, the same candidate attempts) are one finding under the more general cohort.
 * 2. Findings are taken finest first. A finding becomes a rule unless the rules already chosen
 *    explain it: its residual effect once their traffic is removed (`residualEffect`) is not harmful
 *    at level α, one-sided. A rule inside the finding is removed whole; a cross-cutting rule (a tenant
 *    and a region) is removed by its exact overlap when `overlap` is given, assuming its effect holds
 *    on that part, and not at all otherwise (the rule's `note` says so).
 * 3. A finding whose harm is spread over its sub-cohorts (`spreadSet`) replaces the rules inside it
 *    when it is harmful after them, or when two or more of them are its sub-cohorts in that set:
 *    every tenant on an IdP → `{idp}`. A harmful finding that is not spread is a rule besides them.
 *
 * `justified_by` lists the regressions inside the rule's cohort and those it explains (`explains`).
 */
export function scopedRollback(results: readonly CohortResult[], overlap?: Overlap, alpha = 0.05): RollbackRule[] {
  const index = enclosingIndex(results);
  const byKey = new Map(results.map((r) => [key(r.metric, r.cohort), r]));
  const rules = new Map<string, Rule>();
  for (const finding of findings(results, byKey, overlap)) {
    const holder = [...rules.values()].find((rule) => finding.members.some((m) => within(m, rule.cohort)));
    if (holder) {
      finding.indexes.forEach((i) => holder.justified.add(i));
      continue;
    }
    const { pieces, used, notes } = removable(finding, [...rules.values()], byKey, alpha, overlap);
    const harmful = used.length === 0 || stillHarmful(finding.result, pieces, alpha);
    const set = spreadSet(finding.result, index.get(key(finding.metric, finding.scope)) ?? []);
    const siblings = [...rules.values()].filter((r) => r.members.some((m) => dimsOf(m) === set && within(m, finding.scope)));
    const rule: Rule = { cohort: finding.scope, members: finding.members, justified: new Set(finding.indexes), explains: new Set(), notes };
    if (set !== undefined && (harmful || siblings.length >= 2)) {
      for (const [id, inner] of rules) {
        if (!inner.members.some((m) => within(m, finding.scope))) continue;
        inner.justified.forEach((i) => rule.justified.add(i));
        inner.explains.forEach((i) => rule.explains.add(i));
        rules.delete(id);
      }
      rules.set(cohortId(finding.scope), rule);
    } else if (harmful) {
      rules.set(cohortId(finding.scope), rule);
    } else {
      for (const r of used) finding.indexes.forEach((i) => (r.justified.add(i), r.explains.add(i)));
    }
  }
  const regressions = results.flatMap((r, i) => (r.verdict === 'regression' ? [{ cohort: r.cohort, i }] : []));
  return [...rules.values()]
    .sort((a, b) => cohortDepth(a.cohort) - cohortDepth(b.cohort) || cohortId(a.cohort).localeCompare(cohortId(b.cohort)))
    .map((rule) => {
      const inside = regressions.filter(({ cohort }) => within(cohort, rule.cohort)).map(({ i }) => i);
      const justified_by = [...new Set([...rule.justified, ...inside])].sort((a, b) => a - b);
      return {
        cohort: rule.cohort,
        justified_by,
        ...(rule.explains.size ? { explains: [...rule.explains].sort((a, b) => a - b) } : {}),
        ...(rule.notes.length ? { note: rule.notes.join('; ') } : {}),
      };
    });
}

/** The regressions grouped by metric and traffic, finest first (then smallest first). */
function findings(results: readonly CohortResult[], byKey: ReadonlyMap<string, CohortResult>, overlap?: Overlap): Finding[] {
  const groups = new Map<string, Finding>();
  results.forEach((r, i) => {
    if (r.verdict !== 'regression') return;
    const scope = sameTraffic(r, byKey, overlap);
    const group = groups.get(key(r.metric, scope));
    if (!group) groups.set(key(r.metric, scope), { metric: r.metric, scope, members: [...new Set([scope, r.cohort])], indexes: [i], result: r });
    else {
      group.members.push(r.cohort);
      group.indexes.push(i);
      if (cohortDepth(r.cohort) < cohortDepth(group.result.cohort)) group.result = r;
    }
  });
  const depth = (f: Finding) => Math.max(...f.members.map(cohortDepth));
  return [...groups.values()].sort((a, b) => depth(b) - depth(a) || a.result.n - b.result.n || cohortId(a.scope).localeCompare(cohortId(b.scope)));
}

/** The most general cohort enclosing `r` whose result for the metric has the same traffic. */
function sameTraffic(r: CohortResult, byKey: ReadonlyMap<string, CohortResult>, overlap?: Overlap): Cohort {
  let best = r.cohort;
  for (const id of enclosing(r.cohort)) {
    const other = byKey.get(`${r.metric}|${id}`);
    if (!other || cohortDepth(other.cohort) >= cohortDepth(best)) continue;
    const sameCounts = other.n === r.n && other.n_control === r.n_control;
    const sameCells = overlap !== undefined && overlap(r.cohort, r.cohort) > 0 && overlap(other.cohort, other.cohort) === overlap(r.cohort, r.cohort);
    if (r.n > 0 && (sameCounts || sameCells)) best = other.cohort;
  }
  return best;
}

/** The chosen rules' traffic inside the finding, as pieces to remove (disjoint), and what could not be removed. */
function removable(finding: Finding, rules: readonly Rule[], byKey: ReadonlyMap<string, CohortResult>, alpha: number, overlap?: Overlap) {
  const notes: string[] = [];
  const candidates: { rule: Rule; share: number; result: CohortResult }[] = [];
  for (const rule of rules) {
    let share = 0;
    if (rule.members.some((m) => within(m, finding.scope))) share = 1;
    else if (!intersects(rule.cohort, finding.scope)) continue;
    else if (overlap) share = overlap(rule.cohort, rule.cohort) > 0 ? overlap(rule.cohort, finding.scope) / overlap(rule.cohort, rule.cohort) : 0;
    else notes.push(`${label(finding.scope)} and ${label(rule.cohort)} cross-cut by unknown traffic: not subtracted`);
    if (share <= 0) continue;
    const result = rule.members.map((m) => byKey.get(key(finding.metric, m))).find((r) => r !== undefined && r.ci !== null && r.n > 0 && r.effect !== null);
    if (result) candidates.push({ rule, share, result });
    else notes.push(`no ${finding.metric} estimate for ${label(rule.cohort)}: not subtracted from ${label(finding.scope)}`);
  }
  candidates.sort((a, b) => b.share * b.result.n * Math.abs(b.result.effect ?? 0) - a.share * a.result.n * Math.abs(a.result.effect ?? 0));
  const used: Rule[] = [];
  const pieces: EffectPiece[] = [];
  for (const { rule, share, result } of candidates) {
    const clash = used.find((u) => intersects(u.cohort, rule.cohort) && (!overlap || overlap(u.cohort, rule.cohort) > 0));
    if (clash) {
      notes.push(`${label(rule.cohort)} overlaps ${label(clash.cohort)}: only the latter subtracted from ${label(finding.scope)}`);
      continue;
    }
    used.push(rule);
    pieces.push({ effect: result.effect ?? 0, n: result.n * share, se: standardError(result, alpha) / Math.sqrt(share) });
  }
  return { pieces, used, notes };
}

/** Whether the effect left after removing `pieces` is still harmful at level α (one-sided, in the direction of the regression). */
function stillHarmful(parent: CohortResult, pieces: readonly EffectPiece[], alpha: number): boolean {
  if (parent.ci === null || parent.effect === null) return true;
  const residual = residualEffect({ effect: parent.effect, n: parent.n, se: standardError(parent, alpha) }, pieces);
  return residual.n > 0 && (Math.sign(parent.effect) * residual.effect) / residual.se >= normal.quantile(1 - alpha, 0, 1);
}
