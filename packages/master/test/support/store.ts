import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Fernet, generateFernetKey } from '@signet/auth';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { openDatabase, type Database, type OpenDatabaseOptions } from '../../src/store/index.js';

/**
 * The PostgreSQL URL for the store tests. CI sets DATABASE_URL and must never skip PostgreSQL;
 * elsewhere, without it, the suites run on SQLite only, with a visible reason.
 */
export function databaseUrlForTests(): string | undefined {
  const url = process.env.DATABASE_URL;
  if (!url && process.env.CI)
    throw new Error('DATABASE_URL must be set in CI: the PostgreSQL store tests may not be skipped there');
  if (!url) console.warn('DATABASE_URL is not set: the store tests run on SQLite only');
  return url;
}

export type StoreKind = 'sqlite' | 'postgres';

/** The backends every store suite runs on: SQLite always, PostgreSQL when DATABASE_URL is set. */
export function storeKinds(): StoreKind[] {
  return databaseUrlForTests() === undefined ? ['sqlite'] : ['sqlite', 'postgres'];
}

export interface StoreLocation {
  /** What to pass to `openDatabase` (a temporary directory; for PostgreSQL a fresh schema too). */
  readonly options: OpenDatabaseOptions;
  dispose(): Promise<void>;
}

/** A new empty store location: a temporary directory, and for PostgreSQL a schema of its own. */
export async function createStoreLocation(kind: StoreKind): Promise<StoreLocation> {
  const dataDir = mkdtempSync(join(tmpdir(), 'signet-store-'));
  const removeDir = () => rmSync(dataDir, { recursive: true, force: true });
  if (kind === 'sqlite') {
    return { options: { dataDir }, dispose: () => Promise.resolve(removeDir()) };
  }
  const databaseUrl = databaseUrlForTests();
  if (databaseUrl === undefined) throw new Error('DATABASE_URL is not set');
  const schema = `signet_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await withClient(databaseUrl, (client) => client.query(`create schema ${schema}`));
  return {
    options: { dataDir, databaseUrl, schema },
    dispose: async () => {
      await withClient(databaseUrl, (client) => client.query(`drop schema if exists ${schema} cascade`));
      removeDir();
    },
  };
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export interface TestStore {
  readonly db: Kysely<Database>;
  readonly options: OpenDatabaseOptions;
  readonly fernet: Fernet;
}

/**
 * One store for the enclosing `describe`: opened before its tests, emptied before each test, closed
 * and removed (temporary directory, PostgreSQL schema) after them.
 */
export function useTestStore(kind: StoreKind): TestStore {
  let location: StoreLocation | undefined;
  let db: Kysely<Database> | undefined;
  const fernet = new Fernet(generateFernetKey());
  beforeAll(async () => {
    location = await createStoreLocation(kind);
    db = await openDatabase(location.options);
  });
  beforeEach(async () => {
    await db!.deleteFrom('nodes').execute(); // cascades to tokens and traffic rows
    await db!.deleteFrom('proxy_users').execute();
    await db!.deleteFrom('admins').execute(); // cascades to their access keys
    await db!.deleteFrom('access_keys').execute();
    await db!.deleteFrom('audit_events').execute();
    await db!.deleteFrom('jwt_keys').execute();
    await db!.deleteFrom('services').execute();
  });
  afterAll(async () => {
    await db?.destroy();
    await location?.dispose();
  });
  return {
    get db() {
      if (db === undefined) throw new Error('the test store is not open yet');
      return db;
    },
    get options() {
      if (location === undefined) throw new Error('the test store is not open yet');
      return location.options;
    },
    fernet,
  };
}
