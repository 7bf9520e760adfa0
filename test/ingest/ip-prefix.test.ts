import { describe, expect, it } from 'vitest';
import { ipPrefix } from '../../src/ingest/ip-prefix.js';
import { withStore } from '../../src/store/open.js';
import { allJson } from '../../src/store/query.js';
import { join, sql } from '../../src/store/sql.js';

const CASES: [string | null, string | null][] = [
  ['203.0.113.77', '203.0.113.0/24'],
  ['10.0.0.1', '10.0.0.0/24'],
  ['255.255.255.255', '255.255.255.0/24'],
  ['256.1.1.1', null],
  ['1.2.3', null],
  ['::ffff:10.1.2.3', '10.1.2.0/24'],
  ['2001:db8:1:2::1', '2001:db8:1::/48'],
  ['2001:DB8::1', '2001:db8:0::/48'],
  ['[2001:0db8:0000:0042::1]', '2001:db8:0::/48'],
  ['1:2::3:4:5:6:7', '1:2:0::/48'],
  ['1:2:3:4:5:6:7:8', '1:2:3::/48'],
  ['fe80::1%eth0', 'fe80:0:0::/48'],
  ['::1', '0:0:0::/48'],
  ['1:2:3:4:5:6:7:8:9', null],
  ['12345::1', null],
  ['unknown', null],
  [null, null],
];

describe('ipPrefix', () => {
  it('cuts IPv4 to /24 and IPv6 to /48, and gives NULL for anything else', async () => {
    const values = sql`SELECT * FROM (VALUES ${join(CASES.map(([ip], i) => sql`(${i}, ${ip}::VARCHAR)`), ', ')}) t(i, ip)`;
    const got = await withStore(':memory:', {}, ({ connection }) =>
      allJson<{ ip: string | null; prefix: string | null }>(connection, sql`SELECT ip, ${ipPrefix(sql`ip`)} AS prefix FROM (${values}) ORDER BY i`));
    expect(got.map(r => [r.ip, r.prefix])).toEqual(CASES);
  });
});
