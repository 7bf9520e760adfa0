import { sql, type Sql } from '../store/sql.js';

const OCTET = '(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
/** A dotted IPv4 address, optionally IPv4-mapped (`::ffff:`); group 1 is its first three octets. */
const V4 = `^(?:::ffff:)?(${OCTET}[.]${OCTET}[.]${OCTET})[.]${OCTET}$`;

/**
 * The network of an IP address as text: an IPv4 address truncated to its /24 (`203.0.113.0/24`), an IPv6
 * address to its /48 (`2001:db8:1::/48`, groups without leading zeros), an IPv4-mapped IPv6 address as IPv4.
 * Anything else (a host name, `unknown`, a malformed address) is NULL. `ip` is a VARCHAR column.
 */
export function ipPrefix(ip: Sql): Sql {
  // IPv4, the common case, costs one regular expression (coalesce skips the rest); IPv6 takes the list arithmetic below.
  return sql`coalesce(
    nullif(regexp_extract(${ip}, ${V4}, 1), '') || '.0/24',
    CASE WHEN contains(${ip}, ':') THEN list_transform([lower(split_part(trim(${ip}, ' []'), '%', 1))], ip -> ${v6Prefix()})[1] END)`;
}

/** The /48 of the lambda variable `ip` (lower case, no zone), expanding `::`; NULL unless eight groups of ≤ 4 hex digits. */
function v6Prefix(): Sql {
  // Single-element lambdas bind names to intermediate values without a correlated subquery per row.
  return sql`CASE
    WHEN regexp_matches(ip, ${V4}) THEN regexp_extract(ip, ${V4}, 1) || '.0/24'
    WHEN regexp_matches(ip, '^[0-9a-f:]+$') THEN list_transform([{
        head: list_filter(string_split(split_part(ip, '::', 1), ':'), g -> g <> ''),
        tail: list_filter(string_split(split_part(ip, '::', 2), ':'), g -> g <> ''),
        compressed: contains(ip, '::')}],
      p -> list_transform([CASE WHEN p.compressed
            THEN list_concat(p.head, list_transform(range(greatest(8 - len(p.head) - len(p.tail), 0)), x -> '0'), p.tail)
            ELSE p.head END],
        g -> CASE WHEN len(g) = 8 AND list_bool_and(list_transform(g, x -> length(x) <= 4))
                  THEN array_to_string(list_transform(g[1:3], x -> coalesce(nullif(ltrim(x, '0'), ''), '0')), ':') || '::/48'
             END)[1])[1]
  END`;
}
