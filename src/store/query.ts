import { JSDuckDBValueConverter, type DuckDBConnection } from '@duckdb/node-api';
import type { Sql } from './sql.js';

/** Runs a query and returns its rows as plain JS objects (BIGINT as bigint, TIMESTAMP as Date-like values). */
export async function all<Row>(connection: DuckDBConnection, query: Sql): Promise<Row[]> {
  const reader = await connection.runAndReadAll(query.text, [...query.values]);
  // Trust boundary: the SELECT list in `query` is what makes this cast true.
  return reader.getRowObjectsJS() as Row[];
}

/** Runs a query and returns its rows with JSON-friendly values (BIGINT as number when safe, timestamps as ISO strings). */
export async function allJson<Row>(connection: DuckDBConnection, query: Sql): Promise<Row[]> {
  const reader = await connection.runAndReadAll(query.text, [...query.values]);
  // Trust boundary: the SELECT list in `query` is what makes this cast true.
  return reader.getRowObjectsJson() as Row[];
}

/**
 * Runs a query and calls `visit` with each row as a plain JS object (as `all` gives them), one chunk at a time:
 * the rows are never all in memory.
 */
export async function forEachRow<Row>(connection: DuckDBConnection, query: Sql, visit: (row: Row) => void): Promise<void> {
  const result = await connection.stream(query.text, [...query.values]);
  const names = result.columnNames();
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) return;
    for (const values of chunk.convertRows(JSDuckDBValueConverter)) {
      // Trust boundary: the SELECT list in `query` is what makes this cast true.
      visit(Object.fromEntries(names.map((name, i) => [name, values[i]])) as Row);
    }
  }
}

/** Runs a statement for its effect. */
export async function run(connection: DuckDBConnection, statement: Sql): Promise<void> {
  await connection.run(statement.text, [...statement.values]);
}

/** Runs `body` inside one transaction: all of it is committed, or none of it. */
export async function transaction<T>(connection: DuckDBConnection, body: () => Promise<T>): Promise<T> {
  await connection.run('BEGIN TRANSACTION');
  try {
    const result = await body();
    await connection.run('COMMIT');
    return result;
  } catch (error) {
    await connection.run('ROLLBACK');
    throw error;
  }
}
