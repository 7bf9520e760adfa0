import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPlan } from '../../src/plan/plan.js';
import { allJson, run } from '../../src/store/query.js';
import { ident, join, sql, type Sql } from '../../src/store/sql.js';
import { parseInjection } from '../../src/simulate/injection.js';
import type { SimulateOptions } from '../../src/simulate/options.js';
import { simulate, type SimulationResult } from '../../src/simulate/simulate.js';

// 20 tenants × 8000 events a day × 56 days ≈ 450k events: a few seconds on two cores.
const OPTIONS: SimulateOptions = {
  seed: 7,
  days: 56,
  tenants: 20,
  start: new Date('2026-09-01T00:00:00Z'),
  eventsPerDay: 8000,
  routing: 'user',
  injections: [
    parseInjection('tenant=t002:success_rate:-0.03@stage-2'),
    parseInjection('region=ap-south:latency_p95:0.3@stage-3'),
    parseInjection('tenant=t001:mfa_rate:0.1@stage-4'),
    parseInjection('tenant=t001:shadow_mismatch_rate:0.01@stage-4'),
    parseInjection('app=android:error_rate:upstream_timeout:0.02@stage-3'),
  ],
};

let instance: DuckDBInstance;
let connection: DuckDBConnection;
let result: SimulationResult;

const rows = <Row>(query: Sql): Promise<Row[]> => allJson<Row>(connection, query);
async function one<Row>(query: Sql): Promise<Row> {
  const [row] = await rows<Row>(query);
  if (!row) throw new Error('query returned no row');
  return row;
}

function checksum(table: string): Sql {
  return sql`SELECT count(*)::BIGINT AS n,
                    bit_xor(hash(event_id, ts, user_id, tenant, idp, app, region, provider, outcome, error_code,
                                 latency_ms, mfa_challenged, shadow_outcome, shadow_diff))::VARCHAR AS h
             FROM ${ident(table)}`;
}

/** Events of one stage of the simulated schedule, or of the baseline. */
function inStage(name: string): Sql {
  const period = name === 'baseline' ? result.schedule.baseline : result.schedule.stages.find((s) => s.name === name);
  if (!period) throw new Error(`no stage ${name}`);
  return sql`ts >= ${period.start.toISOString()}::TIMESTAMPTZ AND ts < ${period.end.toISOString()}::TIMESTAMPTZ`;
}

/** Success rate, MFA rate and p95 latency per provider of the events matching `where`. */
async function byProvider(where: Sql): Promise<Record<string, { n: number; success: number; mfa: number; p95: number }>> {
  const list = await rows<{ provider: string; n: number; success: number; mfa: number; p95: number }>(sql`
    SELECT provider, count(*)::INTEGER AS n, avg((outcome = 'success')::INTEGER) AS success,
           avg(mfa_challenged::INTEGER) AS mfa, quantile_cont(latency_ms, 0.95) AS p95
    FROM events WHERE ${where} GROUP BY provider`);
  return Object.fromEntries(list.map(({ provider, ...rest }) => [provider, rest]));
}

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:', { threads: '2' });
  connection = await instance.connect();
  result = await simulate(connection, OPTIONS, 'events');
});

afterAll(() => {
  connection.closeSync();
  instance.closeSync();
});

describe('simulate', () => {
  it('gives the same events for the same seed and options, and different ones for another seed', async () => {
    await simulate(connection, OPTIONS, 'again');
    const other = await simulate(connection, { ...OPTIONS, seed: 8, eventsPerDay: 1000 }, 'other');
    expect(await one(checksum('again'))).toEqual(await one(checksum('events')));
    await simulate(connection, { ...OPTIONS, eventsPerDay: 1000 }, 'same_size');
    expect((await one<{ h: string }>(checksum('other'))).h).not.toEqual((await one<{ h: string }>(checksum('same_size'))).h);
    expect(other.truth.seed).toBe(8);
    await run(connection, sql`DROP TABLE again; DROP TABLE other; DROP TABLE same_size`);
  });

  it('returns a plan that passes checkPlan, with the schedule and the metrics the team asked for', () => {
    const check = checkPlan(result.plan);
    expect(check.ok ? [] : check.problems).toEqual([]);
    if (!check.ok) return;
    expect(check.plan.stages.map((s) => [s.name, s.share, s.unit])).toEqual([
      ['stage-1', 0.02, 'user'],
      ['stage-2', 0.05, 'user'],
      ['stage-3', 0.25, 'user'],
      ['stage-4', 0.5, 'user'],
      ['stage-5', 1, 'user'],
    ]);
    expect(check.plan.baseline.end).toEqual(new Date('2026-09-29T00:00:00Z'));
    expect(check.plan.postRollout?.end).toEqual(new Date('2026-10-27T00:00:00Z'));
    expect(check.plan.metrics.map((m) => [m.name, m.tolerance])).toEqual([
      ['success_rate', 0.005],
      ['latency_p95', 0.1],
      ['mfa_rate', 0.02],
      ['shadow_mismatch_rate', 0.002],
      ['error_rate:upstream_timeout', 0.005],
    ]);
  });

  it('lists every injection in the truth with its start, and the incidents it drew', () => {
    expect(result.truth.injections.map((i) => [i.metric, i.effect, i.start])).toEqual([
      ['success_rate', -0.03, '2026-10-02T00:00:00.000Z'],
      ['latency_p95', 0.3, '2026-10-06T00:00:00.000Z'],
      ['mfa_rate', 0.1, '2026-10-11T00:00:00.000Z'],
      ['shadow_mismatch_rate', 0.01, '2026-10-11T00:00:00.000Z'],
      ['error_rate:upstream_timeout', 0.02, '2026-10-06T00:00:00.000Z'],
    ]);
    expect(result.truth.incidents.length).toBeGreaterThan(0);
    expect(result.truth.options).toEqual({ days: 56, tenants: 20, start: '2026-09-01T00:00:00.000Z', events_per_day: 8000, routing: 'user' });
  });

  it('produces about events-per-day events a day with the canonical columns and unique ids', async () => {
    expect(result.events / OPTIONS.days).toBeGreaterThan(OPTIONS.eventsPerDay * 0.9);
    expect(result.events / OPTIONS.days).toBeLessThan(OPTIONS.eventsPerDay * 1.1);
    const columns = await rows<{ column_name: string }>(sql`SELECT column_name FROM (DESCRIBE events)`);
    expect(columns.map((c) => c.column_name)).toEqual([
      'event_id', 'ts', 'user_id', 'tenant', 'idp', 'app', 'region', 'provider', 'outcome', 'error_code',
      'latency_ms', 'mfa_challenged', 'shadow_outcome', 'shadow_diff',
    ]);
    const ids = await one<{ n: number; distinct_ids: number; tenants: number }>(
      sql`SELECT count(*)::INTEGER AS n, count(DISTINCT event_id)::INTEGER AS distinct_ids, count(DISTINCT tenant)::INTEGER AS tenants FROM events`,
    );
    expect(ids.distinct_ids).toBe(ids.n);
    expect(ids.tenants).toBe(20);
    const span = await one<{ first: number; last: number }>(
      sql`SELECT epoch_ms(min(ts))::DOUBLE AS first, epoch_ms(max(ts))::DOUBLE AS last FROM events`,
    );
    expect(span.first).toBeGreaterThanOrEqual(Date.parse('2026-09-01T00:00:00Z'));
    expect(span.last).toBeLessThan(Date.parse('2026-10-27T00:00:00Z'));
    expect(span.last).toBeGreaterThan(Date.parse('2026-10-26T23:00:00Z'));
  });

  it('gives Zipf-like tenant sizes: t001 the largest, about 2^1.1 times t002', async () => {
    const sizes = await rows<{ tenant: string; n: number }>(
      sql`SELECT tenant, count(*)::INTEGER AS n FROM events GROUP BY tenant ORDER BY n DESC LIMIT 3`,
    );
    expect(sizes.map((s) => s.tenant)).toEqual(['t001', 't002', 't003']);
    const ratio = (sizes[0]?.n ?? 0) / (sizes[1]?.n ?? 1);
    expect(ratio).toBeGreaterThan(1.6);
    expect(ratio).toBeLessThan(2.8);
  });

  it('keeps baseline success rates between 95% and 99.5% per IdP, and failures carry their IdP’s error codes', async () => {
    const byIdp = await rows<{ idp: string; rate: number; saml: number; grant: number }>(sql`
      SELECT idp, avg((outcome = 'success')::INTEGER) AS rate,
             count(*) FILTER (WHERE error_code = 'saml_response_invalid')::INTEGER AS saml,
             count(*) FILTER (WHERE error_code = 'invalid_grant')::INTEGER AS grant
      FROM events WHERE ${inStage('baseline')} GROUP BY idp ORDER BY idp`);
    expect(byIdp.length).toBeGreaterThanOrEqual(3);
    for (const { idp, rate, saml, grant } of byIdp) {
      expect(rate).toBeGreaterThan(0.95);
      expect(rate).toBeLessThan(0.995);
      if (idp.endsWith('-oidc')) expect(saml).toBe(0);
      if (idp.endsWith('-saml')) expect(grant).toBe(0);
    }
  });

  it('varies hourly failure counts more than binomial for the biggest tenants', async () => {
    // Pearson X²/(k − p) of hourly failures around per tenant × hour-of-day × weekend means.
    const phi = await rows<{ tenant: string; phi: number }>(sql`
      WITH h AS (
        SELECT tenant, date_trunc('hour', ts) AS hour, count(*) AS n, count(*) FILTER (WHERE outcome = 'failure') AS x
        FROM events WHERE ${inStage('baseline')} AND tenant IN ('t001', 't002', 't003') GROUP BY ALL
      ), c AS (
        SELECT *, hour(hour) AS hod, isodow(hour) >= 6 AS weekend FROM h
      ), m AS (
        SELECT tenant, hod, weekend, sum(x) / sum(n) AS mu FROM c GROUP BY ALL
      )
      SELECT tenant, sum((x - n * mu) ^ 2 / (n * mu * (1 - mu))) / (count(*) - 48) AS phi
      FROM c JOIN m USING (tenant, hod, weekend) WHERE mu > 0 GROUP BY tenant ORDER BY tenant`);
    // Logit-normal shocks (sd 0.5 per hour) add about n·p·q·0.25 to 1: t001 has ~90 attempts an hour here.
    expect(phi.map((p) => p.tenant)).toEqual(['t001', 't002', 't003']);
    expect(phi[0]?.phi).toBeGreaterThan(1.5);
    for (const { phi: value } of phi) expect(value).toBeGreaterThan(1.15);
  });

  it('routes the planned share of users to the candidate in each stage, and a moved user stays moved', async () => {
    for (const stage of result.schedule.stages) {
      const { share } = await one<{ share: number }>(sql`
        SELECT count(DISTINCT user_id) FILTER (WHERE provider = 'nova-auth') / count(DISTINCT user_id) AS share
        FROM events WHERE ${inStage(stage.name)}`);
      expect(Math.abs(share - stage.share)).toBeLessThan(stage.share < 0.1 ? 0.01 : 0.025);
    }
    const { back } = await one<{ back: number }>(sql`
      WITH first AS (SELECT user_id, min(ts) AS moved FROM events WHERE provider = 'nova-auth' GROUP BY user_id)
      SELECT count(DISTINCT user_id)::INTEGER AS back FROM events JOIN first USING (user_id)
      WHERE provider = 'legacy-idp' AND ts > moved + INTERVAL 10 MINUTE`);
    expect(back).toBe(0);
    const { baseline } = await one<{ baseline: number }>(
      sql`SELECT count(*)::INTEGER AS baseline FROM events WHERE ${inStage('baseline')} AND provider <> 'legacy-idp'`,
    );
    expect(baseline).toBe(0);
  });

  it('shows an injected success-rate drop between the providers of that tenant', async () => {
    const arms = await byProvider(sql`tenant = 't002' AND (${inStage('stage-3')} OR ${inStage('stage-4')})`);
    const drop = (arms['nova-auth']?.success ?? 0) - (arms['legacy-idp']?.success ?? 0);
    expect(drop).toBeGreaterThan(-0.045);
    expect(drop).toBeLessThan(-0.015);
  });

  it('shows the injected latency, MFA, mismatch and error-code effects on candidate traffic only', async () => {
    const latency = await byProvider(sql`region = 'ap-south' AND ${inStage('stage-4')}`);
    const ratio = (latency['nova-auth']?.p95 ?? 0) / (latency['legacy-idp']?.p95 ?? 1);
    expect(ratio).toBeGreaterThan(1.15);
    expect(ratio).toBeLessThan(1.45);
    const mfa = await byProvider(sql`tenant = 't001' AND ${inStage('stage-4')}`);
    const mfaShift = (mfa['nova-auth']?.mfa ?? 0) - (mfa['legacy-idp']?.mfa ?? 0);
    expect(mfaShift).toBeGreaterThan(0.07);
    expect(mfaShift).toBeLessThan(0.13);
    const shadow = await one<{ t001: number; others: number }>(sql`
      SELECT avg((shadow_outcome = 'mismatch')::INTEGER) FILTER (WHERE tenant = 't001') AS t001,
             avg((shadow_outcome = 'mismatch')::INTEGER) FILTER (WHERE tenant NOT IN ('t001', 't002') AND app <> 'android') AS others
      FROM events WHERE ${inStage('stage-4')} AND provider = 'nova-auth'`);
    expect(shadow.t001).toBeGreaterThan(0.007);
    // Cohorts with injected failures (t002, android) show them as `no_live_token` mismatches: excluded here.
    expect(shadow.others).toBeLessThan(0.002);
    const timeouts = await rows<{ provider: string; rate: number }>(sql`
      SELECT provider, avg((error_code IS NOT DISTINCT FROM 'upstream_timeout')::INTEGER) AS rate
      FROM events WHERE app = 'android' AND ${inStage('stage-4')} GROUP BY provider ORDER BY provider`);
    const [legacy, candidate] = timeouts.map((t) => t.rate);
    expect((candidate ?? 0) - (legacy ?? 0)).toBeGreaterThan(0.014);
    expect((candidate ?? 0) - (legacy ?? 0)).toBeLessThan(0.026);
  });

  it('pairs shadow tokens like a dual-write: candidate-only failures are discordant, shared failures issue no token', async () => {
    const pairs = await one<{ injected: number; aa: number; shared: number; legacyOnly: number }>(sql`
      SELECT count(*) FILTER (WHERE tenant = 't002' AND shadow_diff = 'no_live_token' AND outcome = 'failure')::INTEGER AS injected,
             count(*) FILTER (WHERE tenant NOT IN ('t001', 't002') AND app <> 'android' AND shadow_diff = 'no_live_token')::INTEGER AS aa,
             count(*) FILTER (WHERE outcome = 'failure' AND shadow_outcome IS NOT NULL AND shadow_diff IS DISTINCT FROM 'no_live_token')::INTEGER AS shared,
             count(*) FILTER (WHERE outcome = 'success' AND shadow_outcome = 'shadow_error')::INTEGER AS "legacyOnly"
      FROM events WHERE ${inStage('stage-4')} AND provider = 'nova-auth'`);
    expect(pairs.injected).toBeGreaterThan(10); // McNemar b: live fails where legacy would not
    expect(pairs.aa).toBe(0); // no candidate-only failures where nothing was injected
    expect(pairs.shared).toBe(0); // a failure both providers share issues no token
    expect(pairs.legacyOnly).toBeGreaterThan(0); // McNemar c: the shadow errors at the base rate
  });

  it('leaves latency alone when it injects failures (timeouts would otherwise be 12 times slower)', async () => {
    const { shift } = await one<{ shift: number }>(sql`
      SELECT avg(ln(latency_ms)) FILTER (WHERE provider = 'nova-auth') - avg(ln(latency_ms)) FILTER (WHERE provider = 'legacy-idp') AS shift
      FROM events WHERE app = 'android' AND tenant NOT IN ('t001', 't002') AND region <> 'ap-south' AND ${inStage('stage-4')}`);
    expect(Math.abs(shift)).toBeLessThan(0.03);
  });

  it('treats both providers alike outside the injected cohorts (A/A)', async () => {
    // Differences candidate − legacy per stage, averaged with weights n_c·n_l/(n_c + n_l) (CMH-style), stages 2–4.
    const aa = await one<{ success: number; mfa: number; log_latency: number; n: number }>(sql`
      WITH d AS (
        SELECT CASE WHEN ${inStage('stage-2')} THEN 2 WHEN ${inStage('stage-3')} THEN 3 ELSE 4 END AS stage,
               provider = 'nova-auth' AS candidate, (outcome = 'success')::INTEGER AS ok, mfa_challenged::INTEGER AS mfa,
               ln(latency_ms) AS log_latency
        FROM events
        WHERE (${inStage('stage-2')} OR ${inStage('stage-3')} OR ${inStage('stage-4')})
          AND tenant NOT IN ('t001', 't002') AND region <> 'ap-south' AND app <> 'android'
      ), s AS (
        SELECT stage,
               count(*) FILTER (WHERE candidate) AS nc, count(*) FILTER (WHERE NOT candidate) AS nl,
               avg(ok) FILTER (WHERE candidate) - avg(ok) FILTER (WHERE NOT candidate) AS success,
               avg(mfa) FILTER (WHERE candidate) - avg(mfa) FILTER (WHERE NOT candidate) AS mfa,
               avg(log_latency) FILTER (WHERE candidate) - avg(log_latency) FILTER (WHERE NOT candidate) AS log_latency
        FROM d GROUP BY stage
      )
      SELECT sum(nc * nl / (nc + nl) * success) / sum(nc * nl / (nc + nl)) AS success,
             sum(nc * nl / (nc + nl) * mfa) / sum(nc * nl / (nc + nl)) AS mfa,
             sum(nc * nl / (nc + nl) * log_latency) / sum(nc * nl / (nc + nl)) AS log_latency,
             sum(nc + nl)::INTEGER AS n
      FROM s`);
    expect(aa.n).toBeGreaterThan(30_000);
    expect(Math.abs(aa.success)).toBeLessThan(0.005);
    expect(Math.abs(aa.mfa)).toBeLessThan(0.015);
    expect(Math.abs(aa.log_latency)).toBeLessThan(0.03);
    const legacyShadow = await one<{ n: number }>(
      sql`SELECT count(*)::INTEGER AS n FROM events WHERE provider = 'legacy-idp' AND (shadow_outcome IS NOT NULL OR shadow_diff IS NOT NULL)`,
    );
    expect(legacyShadow.n).toBe(0);
  });

  it('makes upstream incidents raise failures on both providers alike (stages 1–4, where both run)', async () => {
    const windows = join(
      result.truth.incidents.map((i) => sql`(idp = ${i.idp} AND ts >= ${i.start}::TIMESTAMPTZ AND ts < ${i.end}::TIMESTAMPTZ)`),
      ' OR ',
    );
    // Failure rates per provider inside incident hours, weighted per IdP × hour by n_c·n_l/(n_c + n_l),
    // so both providers are compared on the same incidents; and the rates outside incidents.
    const rates = await one<{ candidate: number; legacy: number; n: number; outside_candidate: number; outside_legacy: number }>(sql`
      WITH e AS (
        SELECT idp, date_trunc('hour', ts) AS hour, provider = 'nova-auth' AS candidate,
               (outcome = 'failure')::INTEGER AS failed, (${windows}) AS incident
        FROM events
        WHERE ts >= ${'2026-09-29T00:00:00Z'}::TIMESTAMPTZ AND ts < ${'2026-10-16T00:00:00Z'}::TIMESTAMPTZ
          AND tenant NOT IN ('t001', 't002') AND app <> 'android'
      ), s AS (
        SELECT count(*) FILTER (WHERE candidate) AS nc, count(*) FILTER (WHERE NOT candidate) AS nl,
               avg(failed) FILTER (WHERE candidate) AS pc, avg(failed) FILTER (WHERE NOT candidate) AS pl
        FROM e WHERE incident GROUP BY idp, hour
      ), w AS (SELECT *, nc * nl / (nc + nl) AS w FROM s WHERE nc > 0 AND nl > 0)
      SELECT (SELECT sum(w * pc) / sum(w) FROM w) AS candidate, (SELECT sum(w * pl) / sum(w) FROM w) AS legacy,
             (SELECT sum(nc)::INTEGER FROM w) AS n,
             (SELECT avg(failed) FROM e WHERE NOT incident AND candidate) AS outside_candidate,
             (SELECT avg(failed) FROM e WHERE NOT incident AND NOT candidate) AS outside_legacy`);
    expect(rates.n).toBeGreaterThan(40);
    expect(rates.legacy / rates.outside_legacy).toBeGreaterThan(2);
    expect(rates.candidate / rates.outside_candidate).toBeGreaterThan(2);
    expect(rates.candidate / rates.legacy).toBeGreaterThan(0.5);
    expect(rates.candidate / rates.legacy).toBeLessThan(2);
  });
});

describe('simulate, small runs', () => {
  const small: SimulateOptions = { ...OPTIONS, tenants: 8, eventsPerDay: 1000, injections: [] };

  it('gives the same events with one DuckDB thread as with two', async () => {
    const single = await DuckDBInstance.create(':memory:', { threads: '1' });
    const singleConnection = await single.connect();
    try {
      await simulate(singleConnection, small, 'one_thread');
      await simulate(connection, small, 'two_threads');
      const [one1] = await allJson(singleConnection, checksum('one_thread'));
      expect(one1).toEqual(await one(checksum('two_threads')));
    } finally {
      singleConnection.closeSync();
      single.closeSync();
    }
  });

  it('lists every tenant in the truth, largest first, with the IdPs its users have', async () => {
    const run = await simulate(connection, small, 'small_events');
    expect(run.truth.tenants.map((t) => t.tenant)).toEqual(['t001', 't002', 't003', 't004', 't005', 't006', 't007', 't008']);
    expect(run.truth.tenants.reduce((sum, t) => sum + t.weight, 0)).toBeCloseTo(1, 4);
    const used = await rows<{ tenant: string; idps: string[] }>(
      sql`SELECT tenant, list(DISTINCT idp ORDER BY idp) AS idps FROM small_events GROUP BY tenant ORDER BY tenant`,
    );
    expect(used).toEqual(run.truth.tenants.map((t) => ({ tenant: t.tenant, idps: [...t.idps].sort() })));
  });

  it('refuses options it cannot simulate with a RangeError', async () => {
    await expect(simulate(connection, { ...small, start: new Date('2026-09-01T12:00:00Z') })).rejects.toThrow(/UTC midnight/);
    await expect(simulate(connection, { ...small, tenants: 0 })).rejects.toThrow(RangeError);
    await expect(simulate(connection, { ...small, seed: 1.5 })).rejects.toThrow(RangeError);
    await expect(simulate(connection, { ...small, days: 6 })).rejects.toThrow(RangeError);
  });

  it('refuses an injection whose tenant or tenant × IdP no simulated user has', async () => {
    await expect(simulate(connection, { ...small, injections: [parseInjection('tenant=t009:mfa_rate:0.1@stage-2')] })).rejects.toThrow(
      /tenant=t009 matches no simulated user/,
    );
    const prepared = await simulate(connection, small, 'small_events');
    const tenant = prepared.truth.tenants.find((t) => t.idps.length < 5);
    const missing = ['okta-oidc', 'azure-ad-saml', 'google-oidc', 'pingfed-saml', 'adfs-saml'].find((i) => !tenant?.idps.includes(i));
    const spec = `tenant=${tenant?.tenant},idp=${missing}:mfa_rate:0.1@stage-2`;
    await expect(simulate(connection, { ...small, injections: [parseInjection(spec)] })).rejects.toThrow(/matches no simulated user/);
  });
});

describe('simulate with --routing tenant', () => {
  it('moves whole tenants, so each tenant has one provider per stage', async () => {
    const tenantRouted = await simulate(
      connection,
      { ...OPTIONS, eventsPerDay: 1500, routing: 'tenant', injections: [] },
      'tenant_routed',
    );
    expect(tenantRouted.plan.stages.every((s) => s.unit === 'tenant')).toBe(true);
    const mixed = await one<{ n: number; moved: number }>(sql`
      WITH s AS (
        SELECT tenant, count(DISTINCT provider) AS providers, bool_or(provider = 'nova-auth') AS moved
        FROM tenant_routed WHERE ${inStage('stage-4')} AND ts >= ${'2026-10-11T00:10:00Z'}::TIMESTAMPTZ GROUP BY tenant
      )
      SELECT count(*) FILTER (WHERE providers > 1)::INTEGER AS n, count(*) FILTER (WHERE moved)::INTEGER AS moved FROM s`);
    expect(mixed.n).toBe(0);
    expect(mixed.moved).toBeGreaterThan(0);
    const moved = await rows<{ tenant: string; stage: string }>(sql`
      SELECT tenant, CASE WHEN ${inStage('stage-1')} THEN 'stage-1' WHEN ${inStage('stage-2')} THEN 'stage-2'
                          WHEN ${inStage('stage-3')} THEN 'stage-3' WHEN ${inStage('stage-4')} THEN 'stage-4'
                          WHEN ${inStage('stage-5')} THEN 'stage-5' ELSE 'post' END AS stage
      FROM (SELECT tenant, min(ts) AS ts FROM tenant_routed WHERE provider = 'nova-auth' GROUP BY tenant)
      ORDER BY tenant`);
    expect(moved).toEqual(tenantRouted.truth.tenants.map((t) => ({ tenant: t.tenant, stage: t.moves_in })));
  });
});
