import type BetterSqlite3 from 'better-sqlite3';

/**
 * Kysely's SQLite driver prepares every statement on every call, which costs more than running it.
 * This hands the driver a database whose `prepare` reuses statements by SQL text (queries are
 * parameterized, so there are few texts; the cache is bounded all the same). The driver runs each
 * statement to completion synchronously, so a statement is never in use twice at once.
 */
export function withStatementCache(database: BetterSqlite3.Database, max = 512): BetterSqlite3.Database {
  const cache = new Map<string, BetterSqlite3.Statement>();
  const prepare = (sql: string): BetterSqlite3.Statement => {
    let statement = cache.get(sql);
    if (!statement) {
      statement = database.prepare(sql);
      if (cache.size >= max) cache.delete(cache.keys().next().value as string);
      cache.set(sql, statement);
    }
    return statement;
  };
  return new Proxy(database, {
    get(target, property) {
      if (property === 'prepare') return prepare;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
