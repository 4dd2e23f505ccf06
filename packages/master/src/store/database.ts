import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { StoreMigrationFailedError, StoreOptionsInvalidError } from './errors.js';
import { isSqliteBusy } from './lib/constraint-errors.js';
import { dialectOf } from './lib/dialect.js';
import { ImmediateSqliteDialect } from './lib/sqlite-dialect.js';
import { withStatementCache } from './lib/statement-cache.js';
import { migrationProvider } from './migrations/index.js';
import type { Database } from './schema.js';

/** The SQLite file inside the data directory. */
export const SQLITE_FILE_NAME = 'master.db';

export interface OpenDatabaseOptions {
  /** The data directory; the SQLite store is `<dataDir>/master.db` (directory created 0700). */
  dataDir: string;
  /** A `postgres://` or `postgresql://` URL: the store is PostgreSQL and `dataDir` holds no database. */
  databaseUrl?: string | undefined;
  /** PostgreSQL only: the schema that holds the tables (its `search_path`); created when missing. */
  schema?: string | undefined;
  /** PostgreSQL only: connections in the pool (default 10). */
  poolSize?: number | undefined;
  /** SQLite only: how long a writer waits for another process's lock, in ms (default 5000). */
  busyTimeoutMs?: number | undefined;
  /** PostgreSQL only: errors of idle pooled connections (default: ignored; the next query fails). */
  onPoolError?: ((error: Error) => void) | undefined;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const MIGRATION_ATTEMPTS = 3;

/**
 * Opens the master's store and brings its schema up to date. SQLite (WAL, busy timeout, foreign
 * keys, 64-bit integers read as bigint) by default; PostgreSQL when `databaseUrl` is given. Safe when
 * several processes open the same store at once: migrations run under the database's write lock
 * (SQLite `BEGIN IMMEDIATE`, a PostgreSQL advisory lock) and each runs once.
 *
 * @throws {StoreOptionsInvalidError} for an unusable option (never quoting the URL).
 * @throws {StoreMigrationFailedError} when the schema cannot be brought up to date.
 */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Kysely<Database>> {
  const { dataDir, databaseUrl, schema } = checkOptions(options);
  const db =
    databaseUrl === undefined
      ? await openSqlite(dataDir, options.busyTimeoutMs ?? 5000)
      : openPostgres(databaseUrl, schema, options);
  try {
    await migrate(db, schema);
    return db;
  } catch (error) {
    await db.destroy();
    throw error;
  }
}

async function openSqlite(dataDir: string, busyTimeoutMs: number): Promise<Kysely<Database>> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = join(dataDir, SQLITE_FILE_NAME);
  const created = !existsSync(file);
  const sqlite = new BetterSqlite3(file, { timeout: busyTimeoutMs });
  try {
    sqlite.pragma(`busy_timeout = ${busyTimeoutMs}`);
    await switchToWal(sqlite, Date.now() + busyTimeoutMs);
    sqlite.pragma('foreign_keys = ON');
    sqlite.defaultSafeIntegers(true);
    // Encrypted secrets and token hashes: owner only (WAL and SHM files inherit the mode).
    if (created) chmodSync(file, 0o600);
  } catch (error) {
    sqlite.close();
    throw error;
  }
  return new Kysely<Database>({ dialect: new ImmediateSqliteDialect(withStatementCache(sqlite)) });
}

/**
 * `journal_mode = WAL`, retried until the deadline: while another process creates the same new file
 * and switches it to WAL, SQLite can answer SQLITE_BUSY at once, without waiting in its busy handler.
 */
async function switchToWal(sqlite: BetterSqlite3.Database, deadline: number): Promise<void> {
  for (;;) {
    try {
      sqlite.pragma('journal_mode = WAL');
      return;
    } catch (error) {
      if (!isSqliteBusy(error) || Date.now() >= deadline) throw error;
      await sleep(5 + Math.floor(Math.random() * 20));
    }
  }
}

function openPostgres(
  url: string,
  schema: string | undefined,
  options: OpenDatabaseOptions,
): Kysely<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: 10_000,
    ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
  });
  pool.on('error', options.onPoolError ?? (() => undefined));
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

async function migrate(db: Kysely<Database>, schema: string | undefined): Promise<void> {
  // Kysely looks for its migration table in every schema unless told which: another store's table
  // in the same PostgreSQL database would pass for this one's. Name the connection's own schema.
  const tableSchema = schema ?? (dialectOf(db) === 'postgres' ? await currentSchema(db) : undefined);
  const migrator = new Migrator({
    db,
    provider: migrationProvider,
    ...(tableSchema === undefined ? {} : { migrationTableSchema: tableSchema }),
  });
  // A race between two first opens can still fail in the migrator's unlocked set-up (creating its
  // own tables); the locked part is idempotent, so a short retry settles it.
  for (let attempt = 1; ; attempt++) {
    const { error } = await migrator.migrateToLatest();
    if (error === undefined) return;
    if (attempt >= MIGRATION_ATTEMPTS) {
      throw new StoreMigrationFailedError(
        'the store schema could not be brought up to date',
        {},
        { cause: error },
      );
    }
    await sleep(50 * attempt);
  }
}

async function currentSchema(db: Kysely<Database>): Promise<string> {
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  const found = rows[0]?.schema;
  if (found === undefined) throw new StoreMigrationFailedError('the database has no current schema');
  return found;
}

function checkOptions(options: OpenDatabaseOptions): {
  dataDir: string;
  databaseUrl: string | undefined;
  schema: string | undefined;
} {
  if (typeof options !== 'object' || options === null) {
    throw new StoreOptionsInvalidError('options: expected an object');
  }
  const { dataDir, databaseUrl, schema, poolSize, busyTimeoutMs } = options;
  if (typeof dataDir !== 'string' || dataDir === '') {
    throw new StoreOptionsInvalidError('options.dataDir: expected a directory path');
  }
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(String(databaseUrl))) {
    throw new StoreOptionsInvalidError('options.databaseUrl: expected a postgres:// or postgresql:// URL');
  }
  if (schema !== undefined) {
    if (databaseUrl === undefined) {
      throw new StoreOptionsInvalidError('options.schema: only a PostgreSQL store has schemas');
    }
    if (typeof schema !== 'string' || !SCHEMA_NAME.test(schema)) {
      throw new StoreOptionsInvalidError(
        'options.schema: expected a lower-case identifier ([a-z_][a-z0-9_]*)',
      );
    }
  }
  if (poolSize !== undefined && !(Number.isInteger(poolSize) && poolSize >= 1 && poolSize <= 1000)) {
    throw new StoreOptionsInvalidError('options.poolSize: expected an integer from 1 to 1000');
  }
  if (busyTimeoutMs !== undefined && !(Number.isInteger(busyTimeoutMs) && busyTimeoutMs >= 0)) {
    throw new StoreOptionsInvalidError('options.busyTimeoutMs: expected a non-negative integer');
  }
  return { dataDir, databaseUrl, schema };
}
