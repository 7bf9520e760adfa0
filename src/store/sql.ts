import type { DuckDBValue } from '@duckdb/node-api';

/** SQL text with `?` placeholders, and the values they bind, in order. */
export class Sql {
  constructor(
    readonly text: string,
    readonly values: readonly DuckDBValue[] = [],
  ) {}
}

/** A table or column name, double-quoted; the only way a name enters SQL text. */
export class Identifier {
  readonly quoted: string;
  constructor(name: string) {
    this.quoted = `"${name.replaceAll('"', '""')}"`;
  }
}

/** Quotes a table or column name. */
export const ident = (name: string): Identifier => new Identifier(name);

/** A piece of SQL text taken verbatim; only for text written in this code base (never user input). */
export const raw = (text: string): Sql => new Sql(text);

/** Nested `Sql` splices, an `Identifier` is quoted, any other value binds as `?`. */
export function sql(strings: TemplateStringsArray, ...args: (Sql | Identifier | DuckDBValue)[]): Sql {
  let text = strings[0] ?? '';
  const values: DuckDBValue[] = [];
  args.forEach((arg, i) => {
    if (arg instanceof Sql) {
      text += arg.text;
      values.push(...arg.values);
    } else if (arg instanceof Identifier) {
      text += arg.quoted;
    } else {
      text += '?';
      values.push(arg);
    }
    text += strings[i + 1] ?? '';
  });
  return new Sql(text, values);
}

/** Separators `join` accepts: a closed list, so no text from outside enters SQL this way. */
export type Separator = ', ' | ' AND ' | ' OR ' | '\n' | ' UNION ALL ' | ',\n';

/** Concatenates fragments and their bound values with a separator. */
export function join(parts: readonly (Sql | Identifier)[], separator: Separator): Sql {
  const texts: string[] = [];
  const values: DuckDBValue[] = [];
  for (const part of parts) {
    if (part instanceof Identifier) {
      texts.push(part.quoted);
    } else {
      texts.push(part.text);
      values.push(...part.values);
    }
  }
  return new Sql(texts.join(separator), values);
}
