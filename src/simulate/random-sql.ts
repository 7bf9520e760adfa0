import { raw, type Sql } from '../store/sql.js';

/**
 * A deterministic uniform draw in [0, 1) from the `seed` column in scope and `keys` (SQL
 * expressions written in this code base, never user input), tagged so that draws for different
 * purposes from the same keys are independent. DuckDB's `random()` is not reproducible across
 * threads; a hash of the row's identity is.
 */
export function uniform(keys: string, tag: string): Sql {
  return raw(uniformText(keys, tag));
}

/** A standard normal draw (Box–Muller on two tagged uniforms), deterministic like `uniform`. */
export function normal(keys: string, tag: string): Sql {
  return raw(normalText(keys, tag));
}

/** The SQL text of `uniform`, for use inside lambdas and other raw fragments. */
export function uniformText(keys: string, tag: string): string {
  if (!/^[a-z0-9_]+$/.test(tag)) throw new RangeError(`uniform tag must be [a-z0-9_]+, got ${tag}`);
  // hash(a, b, …) folds arguments as (h · C) XOR hash(next), so two draws whose keys differ only in
  // the tag are XOR-related in their low bits (correlation −0.99 measured); hashing the hash mixes them.
  return `((hash(hash(seed, ${keys}, '${tag}')) % 4294967296) / 4294967296.0)`;
}

/** The SQL text of `normal`. */
export function normalText(keys: string, tag: string): string {
  return `(sqrt(-2 * ln(1 - ${uniformText(keys, `${tag}_a`)})) * cos(2 * pi() * ${uniformText(keys, `${tag}_b`)}))`;
}
