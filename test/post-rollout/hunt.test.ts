import { describe, expect, it } from 'vitest';
import { hunt } from '../../src/post-rollout/hunt.js';
import { cellNull, setSpread, shareNull } from '../../src/post-rollout/hunt-prior.js';
import { pairsAndTriples, parentSets } from '../../src/post-rollout/hunt-sql.js';
import { taroneEligible } from '../../src/post-rollout/tarone.js';
import { seededRandom } from '../../src/stats/random.js';
import { simulateWorld, worldCounts, type WorldOptions } from './hunt-world.js';

const INJECTED = { app: 'app2', idp: 'idp2', region: 'r1' };
const world = (injection: boolean, tenants: number, postDays: number): WorldOptions => ({
  tenants, idps: 3, apps: 3, regions: 3, baselineDays: 28, postDays, attemptsPerDay: 40_000,
  codes: [{ code: 'invalid_credentials', share: 0.6 }, { code: 'mfa_timeout', share: 0.25 }, { code: 'upstream_timeout', share: 0.15 }],
  idpDaySd: 0.15, cellDaySd: 0.1, tenantDriftSd: 0.03,
  ...(injection ? { injection: { cohort: INJECTED, delta: 0.03, code: 'upstream_timeout' } } : {}),
});
const tolerance = { failures: 0.005, codes: new Map<string, number>() };

/** Runs the hunt once per post day, as a daily schedule would, and returns the day each cell was first found. */
function dailyRuns(options: WorldOptions, seed: number): Map<string, number> {
  const countsAt = worldCounts(simulateWorld(options, seededRandom(seed)), pairsAndTriples());
  const found = new Map<string, number>();
  for (let day = 0; day < options.postDays; day++) {
    const result = hunt({ sets: pairsAndTriples(), ...countsAt(day), tolerance, alpha: 0.05 });
    for (const c of result.cells) if (c.found && !found.has(`${c.cohortKey}:${c.metric}`)) found.set(`${c.cohortKey}:${c.metric}`, day);
  }
  return found;
}

describe('pairsAndTriples', () => {
  it('lists the six pairs and four triples of the four dimensions', () => {
    const sets = pairsAndTriples();
    expect(sets.map((s) => s.join(','))).toEqual([
      'app,region', 'idp,region', 'idp,app', 'tenant,region', 'tenant,app', 'tenant,idp',
      'idp,app,region', 'tenant,app,region', 'tenant,idp,region', 'tenant,idp,app',
    ]);
    expect(parentSets(['idp', 'app', 'region'])).toEqual([['app', 'region'], ['idp', 'region'], ['idp', 'app']]);
  });
});

describe('taroneEligible', () => {
  it('keeps tests that can reach α/K and drops those that never can', () => {
    // K = 2: 1 always-eligible + the one candidate with p_min ≤ 0.05/2; 0.04 and 0.3 cannot reach 0.025.
    expect(taroneEligible([0.001, 0.01, 0.04, 0.3], [true, false, false, false], 0.05)).toEqual([true, true, false, false]);
  });
  it('keeps every always-eligible test', () => {
    expect(taroneEligible([1, 1], [true, true], 0.05)).toEqual([true, true]);
  });
});

describe('setSpread and shareNull', () => {
  it('finds no week-to-week spread when the weekly X² equals its degrees of freedom', () => {
    const row = { weeks: 4, n: 4000, x: 80, parent_n: 20_000, parent_x: 400, x2: 3, sum_parent_x2: 40_000 };
    expect(setSpread([row, { ...row, x: 100 }]).rhoWeek).toBe(0);
  });
  it('centres the null share on the combination’s baseline share of the parent’s events', () => {
    const cell = cellNull({ x: 100, n: 5000 }, { x: 600, n: 30_000 }, { rhoBetween: 0, rhoWeek: 0 });
    const prior = shareNull(cell, 1000, 5000, 0);
    // rate shrinks fully to the parent's (ρ_between = 0): (600.5/30001); rest (500.5/25001): θ0 = 1000·0.020016/(1000·0.020016 + 5000·0.020019)
    expect(prior.a / (prior.a + prior.b)).toBeCloseTo((1000 * (600.5 / 30001)) / (1000 * (600.5 / 30001) + 5000 * (500.5 / 25001)), 6);
  });
  it('widens the null as the week-to-week spread grows', () => {
    const cell = (rhoWeek: number) => cellNull({ x: 100, n: 5000 }, { x: 600, n: 30_000 }, { rhoBetween: 0.01, rhoWeek });
    const c = (rhoWeek: number) => { const p = shareNull(cell(rhoWeek), 1000, 5000, 0); return p.a + p.b; };
    expect(c(0.01)).toBeLessThan(c(0.001));
  });
});

describe('hunt', () => {
  it('finds a +3 pp interaction in one app × IdP × region after 100% within the 14 planned days (seed 41)', () => {
    const found = dailyRuns(world(true, 6, 14), 41);
    const key = `idp=${INJECTED.idp}|app=${INJECTED.app}|region=${INJECTED.region}`;
    const day = found.get(`${key}:`) ?? found.get(`${key}:upstream_timeout`);
    expect(day).toBeDefined();
    expect(day).toBeLessThan(14);
    // Everything found contains injected traffic: a combination of the injected values, or of a tenant with them.
    for (const cell of found.keys()) {
      const parts = cell.split(':')[0]?.split('|') ?? [];
      expect(parts.every((p) => p.startsWith('tenant=') || Object.entries(INJECTED).some(([d, v]) => p === `${d}=${v}`))).toBe(true);
    }
  }, 60_000);
  it('divides a combination’s events by its user design effect, so one user’s retry burst is not a regression', () => {
    const countsAt = worldCounts(simulateWorld(world(true, 6, 14), seededRandom(41)), pairsAndTriples());
    const counts = countsAt(13);
    const key = `idp=${INJECTED.idp}|app=${INJECTED.app}|region=${INJECTED.region}`;
    const cellOf = (looks: typeof counts.looks) =>
      hunt({ sets: pairsAndTriples(), ...counts, looks, tolerance, alpha: 0.05 }).cells.find((c) => c.cohortKey === key && c.metric === '');
    const independent = cellOf(counts.looks);
    expect(independent?.found).toBe(true);
    expect(independent?.designEffect).toBeCloseTo(1, 3); // one attempt per user: K/(K − 1) of the delta method
    // The same counts, but every failure of the combination from 5 users: Σx_u² = x²/5.
    const burst = counts.looks.map((l) => (l.cohort_key === key ? { ...l, users: l.n, user_sxx: l.user_sxx ** 2 / 5 } : l));
    const cell = cellOf(burst);
    expect(cell?.designEffect).toBeGreaterThan(10);
    expect(cell?.found).toBe(false);
  }, 60_000);
  it('finds nothing in three null months of daily runs (seeds 7, 8, 9)', () => {
    for (const seed of [7, 8, 9]) expect([...dailyRuns(world(false, 4, 30), seed).keys()]).toEqual([]);
  }, 60_000);
  it('reports cells examined, eligible and ineligible, and error codes the baseline never saw', () => {
    const countsAt = worldCounts(simulateWorld(world(false, 4, 3), seededRandom(3)), pairsAndTriples());
    const counts = countsAt(2);
    const codes = [...counts.codes, { metric: 'brand_new', baseline_x: 0, post_x: 40 }];
    const result = hunt({ sets: pairsAndTriples(), ...counts, codes, tolerance, alpha: 0.05 });
    expect(result.examined).toBe(result.eligible + result.ineligible);
    expect(result.newErrorCodes).toEqual(['brand_new']);
    const everyone = result.cells.find((c) => c.kind === 'new_error_code' && c.cohortKey === '');
    expect(everyone).toMatchObject({ metric: 'brand_new', x: 40, found: true });
  }, 60_000);
});
