// `signet service token|list|revoke|delete`, run as processes; tokens checked with jose against the
// master's own JWKS from the same store.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import { beforeEach, describe, expect, it } from 'vitest';
import { Fernet, generateFernetKey } from '@signet/auth';
import { listAudit, loadJwtKeys, openDatabase } from '@signet/master';
import { runCli } from './run-cli.js';

const KEY = generateFernetKey();
let data: string;

const signet = (args: readonly string[]) =>
  runCli([...args, '--data', data], { env: { ENCRYPTION_KEY: KEY, DATABASE_URL: undefined } });

async function withStore<T>(work: (db: Awaited<ReturnType<typeof openDatabase>>) => Promise<T>): Promise<T> {
  const db = await openDatabase({ dataDir: data });
  try {
    return await work(db);
  } finally {
    await db.destroy();
  }
}

const masterJwks = () =>
  withStore(async (db) => (await loadJwtKeys(db, new Fernet([KEY]))).jwks as JSONWebKeySet);

async function verify(token: string, issuer = 'signet-master') {
  return jwtVerify(token, createLocalJWKSet(await masterJwks()), { issuer, audience: 'signet-service' });
}

interface Listed {
  name: string;
  scope: string;
  tokensValidAfter: string;
}
const list = () => JSON.parse(signet(['service', 'list', '--json']).stdout) as Listed[];

beforeEach(() => {
  data = join(mkdtempSync(join(tmpdir(), 'signet-service-')), 'data');
});

describe('signet service token', () => {
  it("prints a JWT that the master's JWKS verifies, for audience signet-service and subject NAME", async () => {
    const before = Math.floor(Date.now() / 1000);
    const result = signet(['service', 'token', 'billing']);
    expect(result.stderr).not.toMatch(/eyJ|error|warning/i);
    expect(result.status).toBe(0);
    const token = result.stdout.trim();
    expect(result.stdout).toBe(`${token}\n`);
    const { payload, protectedHeader } = await verify(token);
    expect(payload.sub).toBe('billing');
    expect(payload.aud).toBe('signet-service');
    expect(payload.iss).toBe('signet-master');
    expect(payload.scope).toBe('read');
    expect(payload.exp! - payload.iat!).toBe(3600);
    expect(payload.iat).toBeGreaterThanOrEqual(before);
    expect(protectedHeader.kid).toBe((await masterJwks()).keys[0]!.kid);
    expect(list()).toMatchObject([{ name: 'billing', scope: 'read-only' }]);
  });

  it('carries the scope, ttl and issuer asked for; --json prints one object; the scope sticks', async () => {
    const result = signet([
      'service',
      'token',
      'deployer',
      '--scope',
      'read-write',
      '--ttl',
      '60',
      '--issuer',
      'https://master.example',
      '--json',
    ]);
    expect(result.status).toBe(0);
    const printed = JSON.parse(result.stdout) as {
      service: string;
      scope: string;
      token: string;
      expiresAt: string;
    };
    expect(printed).toMatchObject({ service: 'deployer', scope: 'read-write' });
    const { payload } = await verify(printed.token, 'https://master.example');
    expect(payload.scope).toBe('read write');
    expect(payload.exp! - payload.iat!).toBe(60);
    expect(new Date(printed.expiresAt).getTime()).toBe(payload.exp! * 1000);
    await expect(verify(printed.token)).rejects.toThrow();

    // Without --scope, the service keeps the scope it has.
    const again = signet(['service', 'token', 'deployer']);
    expect((await verify(again.stdout.trim())).payload.scope).toBe('read write');
    const lowered = signet(['service', 'token', 'deployer', '--scope', 'read-only']);
    expect((await verify(lowered.stdout.trim())).payload.scope).toBe('read');
    expect(list()).toMatchObject([{ name: 'deployer', scope: 'read-only' }]);
  });

  it('refuses a bad --ttl or --scope and changes nothing', () => {
    for (const args of [
      ['--ttl', '0'],
      ['--ttl', '2592001'],
      ['--ttl', '1.5'],
      ['--ttl', 'soon'],
      ['--scope', 'admin'],
    ]) {
      const result = signet(['service', 'token', 'billing', ...args]);
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(/--ttl: expected whole seconds from 1 to 2592000|--scope: expected/);
      expect(result.stdout).toBe('');
    }
    expect(signet(['service', 'token', 'billing', '--ttl', '2592000']).status).toBe(0);
    expect(list().map((s) => s.name)).toEqual(['billing']);
  });
});

describe('signet service list|revoke|delete', () => {
  it('revoke moves tokensValidAfter forward, delete removes the service, both audited', async () => {
    expect(signet(['service', 'token', 'alpha']).status).toBe(0);
    expect(signet(['service', 'token', 'beta']).status).toBe(0);
    const [alpha] = list();
    expect(alpha!.name).toBe('alpha');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(signet(['service', 'revoke', 'alpha']).status).toBe(0);
    const revoked = list().find((s) => s.name === 'alpha')!;
    expect(new Date(revoked.tokensValidAfter).getTime()).toBeGreaterThan(
      new Date(alpha!.tokensValidAfter).getTime(),
    );
    expect(signet(['service', 'list']).stdout).toMatch(/^alpha\tread-only\ttokens valid after .*\nbeta\t/);

    expect(signet(['service', 'delete', 'beta']).status).toBe(0);
    expect(list().map((s) => s.name)).toEqual(['alpha']);
    for (const verb of ['revoke', 'delete']) {
      const missing = signet(['service', verb, 'beta']);
      // A service that does not exist is a failure (1), not a usage mistake (2).
      expect(missing.status).toBe(1);
      expect(missing.stderr).toContain('no service named beta (SERVICE_NOT_FOUND)');
    }

    const events = await withStore(async (db) => (await listAudit(db, { limit: 500 })).events);
    const rows = events.filter((e) => e.source === 'cli').map((e) => `${e.action} ${e.target} ${e.result}`);
    expect(rows.filter((r) => r.endsWith(' ok')).sort()).toEqual(
      [
        'service.token name=alpha ok',
        'service.token name=beta ok',
        'service.revoke name=alpha ok',
        'service.delete name=beta ok',
      ].sort(),
    );
    expect(rows.filter((r) => r.endsWith(' failed')).sort()).toEqual(
      ['service.revoke name=beta failed', 'service.delete name=beta failed'].sort(),
    );
    for (const e of events) expect(e.detail ?? '').not.toMatch(/eyJ/);
  });
});
