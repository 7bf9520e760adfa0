import { raw, sql, type Sql } from '../store/sql.js';

const OCTET = '(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
/** A dotted IPv4 address, optionally IPv4-mapped (`::ffff:`); group 1 is its first three octets. */
const V4 = `^(?:::ffff:)?(${OCTET}[.]${OCTET}[.]${OCTET})[.]${OCTET}$`;

/**
 * The network of an IP address as text: an IPv4 address truncated to its /24 (`203.0.113.0/24`), an IPv6
 * address to its /48 (`2001:db8:1::/48`, groups without leading zeros), an IPv4-mapped IPv6 address as IPv4.
 * Anything else (a host name, `unknown`, a malformed address) is NULL. `ip` is a VARCHAR column.
 */
export function ipPrefix(ip: Sql): Sql {
  // IPv4, the common case, costs one regular expression (coalesce skips the rest). IPv6 in the shapes of SHORTCUT
  // costs one or two more; any other text takes the list arithmetic below, at about ten times the cost.
  return sql`coalesce(
    nullif(regexp_extract(${ip}, ${V4}, 1), '') || '.0/24',
    CASE WHEN regexp_full_match(${ip}, ${literal(TOO_LONG)}) AND length(${ip}) - length(replace(${ip}, '::', '')) <= 2 THEN NULL
         WHEN regexp_full_match(${ip}, ${literal(PLAIN)})
           OR (regexp_full_match(${ip}, ${literal(COMPRESSED)})
               AND (ends_with(${ip}, '::') OR length(${ip}) - length(replace(${ip}, ':', '')) <= 8))
           THEN list_transform([regexp_extract(${ip}, ${literal(FIRST_THREE)}, ['a', 'b', 'c'])],
             g -> ${group('a')} || ':' || ${group('b')} || ':' || ${group('c')} || '::/48')[1]
         WHEN contains(${ip}, ':') THEN list_transform([lower(split_part(trim(${ip}, ' []'), '%', 1))], ip -> ${v6Prefix()})[1] END)`;
}

/*
 * SHORTCUT: text of lower-case hex digits and colons only, which v6Prefix would read as it is (nothing to lower,
 * trim or cut at a zone), and whose answer one regular expression gives:
 * - TOO_LONG with at most one `::`: a group of five or more digits, so NULL (with a second `::`, v6Prefix ignores
 *   what follows it, so that text takes the long way);
 * - PLAIN, or COMPRESSED with eight groups or fewer: the /48 is the first three groups as written.
 */
const TOO_LONG = '[0-9a-f:]*[0-9a-f]{5}[0-9a-f:]*';
/** Three groups of 1–4 hex digits at the start; `a`, `b`, `c` capture them. */
const FIRST_THREE = '^([0-9a-f]{1,4}):([0-9a-f]{1,4}):([0-9a-f]{1,4})';
/** Eight groups. */
const PLAIN = `${FIRST_THREE}(?::[0-9a-f]{1,4}){5}$`;
/** Three to eight groups, `::`, up to five groups (eight or fewer in all when it has eight colons or fewer, or ends in `::`). */
const COMPRESSED = `${FIRST_THREE}(?::[0-9a-f]{1,4}){0,5}::(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){0,4})?$`;

/** A pattern as an SQL literal (these have no quotes): regexp_extract with a list of names does not bind its pattern. */
const literal = (pattern: string): Sql => raw(`'${pattern}'`);

/** Group `name` of the struct `g` without its leading zeros (`0` for an all-zero group). */
const group = (name: string): Sql => sql`coalesce(nullif(ltrim(g.${raw(name)}, '0'), ''), '0')`;

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
