// What the API integration tests share: a store for `signet master` processes (SQLite in a data
// directory, or a PostgreSQL schema of its own reached through DATABASE_URL alone), keys made by
// `signet key create`, and the seeds' own clients run as real python3 / node / bash processes.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect } from 'vitest';
import { openDatabase } from '../../src/store/index.js';
import { runSignet } from './process.js';
import { createStoreLocation, databaseUrlForTests } from './store.js';

const exec = promisify(execFile);
export const support = (name: string) => fileURLToPath(new URL(`./${name}`, import.meta.url));

/** The stores every API suite runs on: SQLite always; PostgreSQL when DATABASE_URL is set (always in CI). */
export function apiStoreKinds(): ('SQLite' | 'PostgreSQL')[] {
  return databaseUrlForTests() === undefined ? ['SQLite'] : ['SQLite', 'PostgreSQL'];
}

export interface ProcessStore {
  /** `--data` for every process on this store. */
  readonly data: string;
  /** The environment every process on this store runs with (DATABASE_URL set or removed). */
  readonly env: Record<string, string | undefined>;
  dispose(): Promise<void>;
}

/**
 * A fresh store for `signet` processes. The CLI has no schema option, so for PostgreSQL the schema is
 * chosen in DATABASE_URL itself (`?options=-c search_path=<schema>`); it is migrated here first, with
 * the schema named, so the processes find their tables whatever other schemas the database holds.
 */
export async function processStore(
  kind: 'SQLite' | 'PostgreSQL',
  env: Record<string, string | undefined>,
): Promise<ProcessStore> {
  if (kind === 'SQLite') {
    const data = mkdtempSync(join(tmpdir(), 'signet-api-'));
    return {
      data,
      env: { ...env, DATABASE_URL: undefined },
      dispose: async () => rmSync(data, { recursive: true, force: true }),
    };
  }
  const location = await createStoreLocation('postgres');
  const db = await openDatabase(location.options);
  await db.destroy();
  const url = new URL(location.options.databaseUrl!);
  url.searchParams.set('options', `-c search_path=${location.options.schema}`);
  return {
    data: location.options.dataDir,
    env: { ...env, DATABASE_URL: url.toString() },
    dispose: () => location.dispose(),
  };
}

export interface CreatedKey {
  readonly accessKey: string;
  readonly secretKey: string;
  readonly algorithm: string;
}

/** `signet key create --algorithm A --scope S --json` on the store. */
export function createKey(store: ProcessStore, algorithm: string, scope = 'read-write'): CreatedKey {
  const result = runSignet(
    ['key', 'create', '--algorithm', algorithm, '--scope', scope, '--data', store.data, '--json'],
    store.env,
  );
  expect(result.status, result.stderr).toBe(0);
  const key = JSON.parse(result.stdout) as CreatedKey;
  expect(key).toMatchObject({
    accessKey: expect.any(String),
    secretKey: expect.any(String),
    algorithm,
  });
  return key;
}

export interface ClientAnswer {
  readonly status: number;
  readonly json: any;
}

const parse = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

export interface InternalCall extends ClientAnswer {
  readonly timestamp: string;
  readonly nonce: string;
}

/** Seed 001's pseudocode in Python (`requests`): one signed call to a /v1/internal URL. */
export async function internalCall(
  key: string,
  method: string,
  url: string,
  options: { body?: unknown; timestamp?: string; nonce?: string } = {},
): Promise<InternalCall> {
  const args = [support('seed001_internal_client.py'), method, url];
  if (options.body !== undefined) args.push(JSON.stringify(options.body));
  const { stdout } = await exec('python3', args, {
    env: {
      ...process.env,
      SIGNET_INTERNAL_KEY: key,
      SEED001_TIMESTAMP: options.timestamp ?? '',
      SEED001_NONCE: options.nonce ?? '',
    },
  });
  const answer = JSON.parse(stdout) as { status: number; body: string; timestamp: string; nonce: string };
  return {
    status: answer.status,
    json: parse(answer.body),
    timestamp: answer.timestamp,
    nonce: answer.nonce,
  };
}

/** Seed 003's script, verbatim below its marker; the one copy, which @signet/auth's tests run too. */
export const SEED_003_SCRIPT = fileURLToPath(
  new URL('../../../auth/test/support/seed-tem-l3.mjs', import.meta.url),
);

/** The Authorization header seed 003's own script computes, run in a separate `node` process. */
export async function seedTemAuthorization(
  key: CreatedKey,
  method: string,
  url: string,
  body = '',
): Promise<string> {
  const { stdout } = await exec(process.execPath, [SEED_003_SCRIPT], {
    env: {
      ...process.env,
      TEM_URL: url,
      TEM_METHOD: method,
      TEM_BODY: body,
      TEM_AK: key.accessKey,
      TEM_SK: key.secretKey,
    },
  });
  const header = JSON.parse(stdout) as { name: string; value: string };
  expect(header.name).toBe('Authorization');
  return header.value;
}

/** Sends exactly this Authorization header and exactly this body text. */
export async function sendWith(
  method: string,
  url: string,
  authorization: string,
  body?: string,
): Promise<ClientAnswer> {
  const response = await fetch(url, {
    method,
    headers: { authorization, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body }),
  });
  return { status: response.status, json: parse(await response.text()) };
}

/** Seed 003's L3 composition in Python (hashlib), sent with `requests`. */
export async function pythonTemCall(
  key: CreatedKey,
  method: string,
  url: string,
  body?: string,
): Promise<ClientAnswer> {
  const args = [support('seed003_tem_client.py'), key.algorithm, method, url];
  if (body !== undefined) args.push(body);
  const { stdout } = await exec('python3', args, {
    env: { ...process.env, TEM_AK: key.accessKey, TEM_SK: key.secretKey },
  });
  const answer = JSON.parse(stdout) as { status: number; body: string };
  return { status: answer.status, json: parse(answer.body) };
}

/** A bash script from support/, its stdout parsed. */
export async function bashScript(name: string, env: Record<string, string>): Promise<unknown> {
  const { stdout } = await exec('bash', [support(name)], { env: { ...process.env, ...env } });
  return parse(stdout);
}
