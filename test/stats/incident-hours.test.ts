import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { incidentHourList, incidentHours, type UpstreamHour } from '../../src/stats/incident-hours.js';
import { seededRandom } from '../../src/stats/random.js';

const T0 = Date.parse('2026-10-27T00:00:00Z') / 1000;

/** 14 days of one IdP's hours: n attempts an hour (a daily cycle), failure rate `rate(h)`. */
function series(seed: number, rate: (h: number) => number, key = 'okta', days = 14): UpstreamHour[] {
  const random = seededRandom(seed);
  return Array.from({ length: days * 24 }, (_, h) => {
    const n = Math.round(600 + 400 * Math.sin((2 * Math.PI * (h % 24)) / 24));
    return { key, hour: T0 + h * 3600, n, x: random.binomial(n, rate(h)) };
  });
}

describe('incidentHours', () => {
  it('agrees with the numpy implementation (test/stats/reference/incident-hours.py) on four IdPs', () => {
    const fixture = JSON.parse(readFileSync(new URL('../fixtures/stats/incident-hours.json', import.meta.url), 'utf8')) as {
      rows: UpstreamHour[];
      expected: ReturnType<typeof incidentHours>;
    };
    const scan = incidentHours(fixture.rows);
    expect(scan.sustained).toEqual(fixture.expected.sustained);
    expect(scan.incidents.map(({ expectedFailures, ...rest }) => rest)).toEqual(fixture.expected.incidents.map(({ expectedFailures, ...rest }) => rest));
    scan.incidents.forEach((incident, i) => expect(incident.expectedFailures).toBeCloseTo(fixture.expected.incidents[i]?.expectedFailures ?? NaN, 9));
  });

  it('finds a 3-hour failure burst of one IdP, with its hours, counts and the failures typical for them', () => {
    const rows = series(1, (h) => (h >= 100 && h < 103 ? 0.25 : 0.03));
    const { incidents, sustained } = incidentHours(rows);
    expect(sustained).toEqual([]);
    expect(incidents).toHaveLength(1);
    const [incident] = incidents;
    expect(incident).toMatchObject({ key: 'okta', start: T0 + 100 * 3600, end: T0 + 103 * 3600, hours: 3 });
    const burst = rows.slice(100, 103);
    expect(incident?.attempts).toBe(burst.reduce((s, h) => s + h.n, 0));
    expect(incident?.failures).toBe(burst.reduce((s, h) => s + h.x, 0));
    expect((incident?.expectedFailures ?? 0) / (incident?.attempts ?? 1)).toBeCloseTo(0.03, 2);
    expect(incidentHourList(incidents).map((h) => h.hour)).toEqual([100, 101, 102].map((h) => T0 + h * 3600));
  });

  it('flags nothing in 20 seeded fortnights of binomial noise with a daily cycle of the failure rate', () => {
    for (let seed = 10; seed < 30; seed++) {
      const { incidents } = incidentHours(series(seed, (h) => 0.03 * (1 + 0.3 * Math.sin((2 * Math.PI * h) / 24))));
      expect(incidents).toEqual([]);
    }
  });

  it('leaves a burst still going at the end of the window in the data: it may be a regression starting', () => {
    const rows = series(2, (h) => (h >= 14 * 24 - 3 ? 0.25 : 0.03));
    const { incidents, sustained } = incidentHours(rows);
    expect(incidents).toEqual([]);
    expect(sustained).toEqual([{ key: 'okta', hours: 3, reason: 'still_elevated_at_end' }]);
  });

  it('does not call a lasting step up an incident, even after it ended', () => {
    const rows = series(3, (h) => (h >= 100 && h < 130 ? 0.25 : 0.03));
    const { incidents, sustained } = incidentHours(rows);
    expect(incidents).toEqual([]);
    expect(sustained).toEqual([{ key: 'okta', hours: 30, reason: 'longer_than_max_run' }]);
  });

  it('does not call recurring bursts incidents once they exceed 5% of the hours (a daily failure peak of the candidate)', () => {
    const rows = series(4, (h) => (h % 24 === 9 || h % 24 === 10 ? 0.25 : 0.03)); // 28 of 336 hours, ended each day
    const { incidents, sustained } = incidentHours(rows);
    expect(incidents).toEqual([]);
    expect(sustained).toEqual([{ key: 'okta', hours: 28, reason: 'too_many_hours' }]);
  });

  it('judges each IdP on its own hours, and needs 24 hours with attempts before flagging anything', () => {
    const rows = [...series(5, (h) => (h === 50 ? 0.3 : 0.03), 'okta'), ...series(6, () => 0.01, 'azure'), ...series(7, (h) => (h === 5 ? 0.5 : 0.03), 'ping', 0.75)];
    const { incidents } = incidentHours(rows);
    expect(incidents.map((i) => [i.key, (i.start - T0) / 3600])).toEqual([['okta', 50]]);
  });

  it('ignores a doubling of the failure odds in a big hour (below the 4× floor) however significant', () => {
    const rows = series(8, (h) => (h === 60 ? 0.06 : 0.03)).map((h) => ({ ...h, n: h.n * 20, x: h.x * 20 }));
    expect(incidentHours(rows).incidents).toEqual([]);
  });
});
