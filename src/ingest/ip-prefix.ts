import { sql, type Sql } from '../store/sql.js';

const V4 = '^(?:::ffff:)?(\\d{1,3}\\.\\d{1,3}\\.\\d{1,3})\\.\\d{1,3}$';

/**
 * The network of an IP address as text: an IPv4 address truncated to its /24 (`203.0.113.0/24`), an IPv6
 * address to its /48 (`2001:db8:1::/48`, groups without leading zeros), an IPv4-mapped IPv6 address as IPv4.
 * Anything else (a host name, `unknown`, a malformed address) is NULL. `ip` is a VARCHAR expression.
 */
export function ipPrefix(ip: Sql): Sql {
  // Single-element lambdas bind names to intermediate values without a correlated subquery per row.
  return sql`list_transform([lower(split_part(trim(${ip}, ' []'), '%', 1))], ip -> CASE
    WHEN regexp_matches(ip, ${V4}) THEN
      CASE WHEN list_bool_and(list_transform(string_split(regexp_replace(ip, '^::ffff:', ''), '.'), o -> o::INTEGER <= 255))
           THEN regexp_extract(ip, ${V4}, 1) || '.0/24' END
    WHEN regexp_matches(ip, '^[0-9a-f:]+$') AND contains(ip, ':') THEN
      list_transform([{
          head: list_filter(string_split(split_part(ip, '::', 1), ':'), g -> g <> ''),
          tail: list_filter(string_split(split_part(ip, '::', 2), ':'), g -> g <> ''),
          compressed: contains(ip, '::')}],
        p -> list_transform([CASE WHEN p.compressed
              THEN list_concat(p.head, list_transform(range(greatest(8 - len(p.head) - len(p.tail), 0)), x -> '0'), p.tail)
              ELSE p.head END],
          g -> CASE WHEN len(g) = 8 AND list_bool_and(list_transform(g, x -> length(x) <= 4))
                    THEN array_to_string(list_transform(g[1:3], x -> coalesce(nullif(ltrim(x, '0'), ''), '0')), ':') || '::/48'
               END)[1])[1]
    END)[1]`;
}
