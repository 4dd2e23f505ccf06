// The seed-002 security layer of the real signer process: requests signed by a Python client with
// the seed's own function are accepted; anything else is refused with seed 002's statuses.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signDataTs } from '@signet/auth';
import { createFixture, vectors } from './support/fixture.js';
import { runSignerToExit, startSigner, type SignerProcess } from './support/signer-process.js';

const fixture = createFixture();
const API_SECRET_KEY = 'seed-002-api-secret-key-for-tests';
const client = fileURLToPath(new URL('./support/data_ts_client.py', import.meta.url));
let signer: SignerProcess;

async function python(
  path: string,
  method: string,
  body: string,
  mode = 'ok',
): Promise<{ status: number; json: any }> {
  const { stdout } = await promisify(execFile)(
    'python3',
    [client, `${signer.url}${path}`, method, body, mode],
    {
      env: { ...process.env, API_SECRET_KEY },
    },
  );
  const [status, ...rest] = stdout.trim().split('\n');
  return { status: Number(status), json: JSON.parse(rest.join('\n')) };
}

beforeAll(async () => {
  signer = await startSigner(
    ['--credentials', fixture.credentials, '--data', fixture.dataDir, '--require-auth'],
    {
      ENCRYPTION_KEY: fixture.encryptionKey,
      API_SECRET_KEY,
      REDIS_URL: undefined,
    },
  );
});
afterAll(async () => {
  await signer?.stop();
});

const body = JSON.stringify({
  platformId: 'aster',
  accountId: 'ast-hedge-001',
  data: { message: vectors.eip191_personal_sign.message },
});

describe('data-ts (seed 002) on the signer', () => {
  it('accepts what the seed-002 Python function signs', async () => {
    const result = await python('/api/v1/sign', 'POST', body);
    expect(result.status).toBe(200);
    expect(result.json.data.signature).toBe(vectors.eip191_personal_sign.signature);
    expect((await python('/api/v1/accounts', 'GET', '')).status).toBe(200);
  });

  it('401 for a bad or missing signature, 400 for an expired timestamp', async () => {
    expect(await python('/api/v1/sign', 'POST', body, 'bad-signature')).toMatchObject({
      status: 401,
      json: { success: false, error: { code: 'UNAUTHORIZED' } },
    });
    expect(await python('/api/v1/sign', 'POST', body, 'no-signature')).toMatchObject({
      status: 401,
      json: { error: { code: 'UNAUTHORIZED' } },
    });
    expect(await python('/api/v1/sign', 'POST', body, 'expired')).toMatchObject({
      status: 400,
      json: { error: { code: 'TIMESTAMP_EXPIRED' } },
    });
  });

  it('400 for a malformed timestamp, and an exact replay is refused', async () => {
    const response = await fetch(`${signer.url}/api/v1/accounts`, {
      headers: { 'x-signature': 'ab', 'x-timestamp': '17e11' },
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as any).error.code).toBe('TIMESTAMP_INVALID');

    const signed = signDataTs({ secret: API_SECRET_KEY, data: '' });
    const replayed = () =>
      fetch(`${signer.url}/api/v1/status`, {
        headers: { 'x-signature': signed.signature, 'x-timestamp': signed.timestamp },
      });
    expect((await replayed()).status).toBe(200);
    const second = await replayed();
    expect(second.status).toBe(401);
    expect(((await second.json()) as any).error.details.reason).toBe('REQUEST_REPLAYED');
  });

  it('verifies the bytes received: a body in another content type is refused, never checked as empty', async () => {
    const signed = signDataTs({ secret: API_SECRET_KEY, data: '' });
    const response = await fetch(`${signer.url}/api/v1/config/reload`, {
      method: 'POST',
      headers: {
        'content-type': 'text/plain',
        'x-signature': signed.signature,
        'x-timestamp': signed.timestamp,
      },
      body: 'GARBAGE',
    });
    expect(response.status).toBe(400);
  });

  it('keeps /health open and /metrics, /security-info behind the signature', async () => {
    expect((await fetch(`${signer.url}/health`)).status).toBe(200);
    expect((await fetch(`${signer.url}/metrics`)).status).toBe(401);
    const info = await python('/security-info', 'GET', '');
    expect(info.json.auth_required).toBe(true);
    expect(JSON.stringify(info.json)).not.toContain(API_SECRET_KEY);
  });
});

describe('start-up policy', () => {
  it('refuses to listen beyond loopback without API_SECRET_KEY', async () => {
    const result = await runSignerToExit(
      ['--host', '0.0.0.0', '--credentials', fixture.credentials, '--data', fixture.dataDir],
      {
        ENCRYPTION_KEY: fixture.encryptionKey,
        API_SECRET_KEY: undefined,
      },
    );
    expect(result.code).toBe(2);
    expect(result.output).toContain('requires signed requests: set API_SECRET_KEY');
  });

  it('refuses to start on credentials that do not load', async () => {
    const result = await runSignerToExit(
      ['--credentials', `${fixture.dir}/missing.json`, '--data', fixture.dataDir],
      { ENCRYPTION_KEY: fixture.encryptionKey },
    );
    expect(result.code).toBe(1);
    expect(result.output).toContain('CONFIG_LOAD_FAILED');
  });
});
