// The seeds' own client code (real python3, and seed 003's JavaScript in a real node process)
// produces signatures that Signet's verifiers accept and that Signet's signers reproduce byte for byte.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MemoryReplayStore,
  signDataTs,
  signInternal,
  signTem,
  signXray,
  verifyDataTs,
  verifyInternal,
  verifyTem,
  verifyXray,
} from '@signet/auth';
import { runNodeFile, runPythonJson } from './support/python-json.js';

const SEED = 20261123;
const secrets = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 });

describe('seed 000 (xray): Python generate_signature over json.dumps(data, sort_keys=True)', () => {
  it('accepts what the seed signs, for a thousand random bodies, and signs the same', async () => {
    const cases = fc.sample(fc.record({ value: fc.jsonValue({ maxDepth: 4 }), secret: secrets }), {
      numRuns: 1000,
      seed: SEED,
    });
    const bodies = cases.map(({ value, secret }) => ({
      scheme: 'xray',
      body: JSON.stringify({ data: value }),
      secret,
    }));
    const python = runPythonJson<{ sent: string; signature: string }[]>('seed_clients.py', bodies);
    for (const [i, { sent, signature }] of python.entries()) {
      const secret = bodies[i]!.secret;
      await expect(verifyXray(sent, signature, { secret, requireTimestamp: false })).resolves.toMatchObject({
        keyIndex: 0,
      });
      expect(signXray(sent, secret).signature).toBe(signature);
    }
  });

  it("accepts the seed's restart request with a fresh timestamp", async () => {
    const body = JSON.stringify({ timestamp: Math.floor(Date.now() / 1000) });
    const [python] = runPythonJson<{ sent: string; signature: string }[]>('seed_clients.py', [
      { scheme: 'xray', body, secret: 'your-api-secret' },
    ]);
    const verified = await verifyXray(python!.sent, python!.signature, { secret: 'your-api-secret' });
    expect(verified.timestampMs).toBe(JSON.parse(body).timestamp * 1000);
  });
});

describe('seed 001 (internal): HMAC of the sorted nonce=…&timestamp=… pairs', () => {
  it('accepts what the seed algorithm signs and signs the same', async () => {
    const now = Math.floor(Date.now() / 1000);
    const cases = fc.sample(
      fc.record({
        nonce: fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/),
        secret: secrets,
        skew: fc.integer({ min: -299, max: 299 }),
      }),
      { numRuns: 300, seed: SEED },
    );
    const inputs = cases.map(({ nonce, secret, skew }) => ({
      scheme: 'internal',
      nonce,
      secret,
      timestamp: String(now + skew),
    }));
    const python = runPythonJson<{ signature: string }[]>('seed_clients.py', inputs);
    const replay = new MemoryReplayStore();
    for (const [i, { signature }] of python.entries()) {
      const { nonce, secret, timestamp } = inputs[i]!;
      expect(signInternal({ secret, nonce, timestamp }).signature).toBe(signature);
      const headers = { 'x-signature': signature, 'x-timestamp': timestamp, 'x-nonce': `${nonce}-${i}` };
      // A changed nonce breaks the signature; the real one is accepted.
      await expect(verifyInternal(headers, { secret, replay })).rejects.toMatchObject({
        code: 'SIGNATURE_MISMATCH',
      });
      await expect(
        verifyInternal({ ...headers, 'x-nonce': nonce }, { secret, replay: new MemoryReplayStore() }),
      ).resolves.toMatchObject({ nonce });
    }
  });
});

describe('seed 002 (data-ts): HMAC of data + millisecond timestamp under API_SECRET_KEY', () => {
  it('accepts what the seed function signs and signs the same', async () => {
    const now = Date.now();
    const cases = fc.sample(
      fc.record({ data: fc.string({ unit: 'grapheme', maxLength: 200 }), secret: secrets }),
      {
        numRuns: 300,
        seed: SEED,
      },
    );
    const inputs = cases.map(({ data, secret }, i) => ({
      scheme: 'data-ts',
      data,
      secret,
      timestamp: String(now - i),
    }));
    const python = runPythonJson<{ signature: string }[]>('seed_clients.py', inputs);
    for (const [i, { signature }] of python.entries()) {
      const { data, secret, timestamp } = inputs[i]!;
      expect(signDataTs({ secret, data, timestamp }).signature).toBe(signature);
      await expect(verifyDataTs(data, signature, timestamp, { secret })).resolves.toMatchObject({
        keyIndex: 0,
      });
    }
  });
});

describe("seed 003 (tem): the seed's L3.SHA256 script and its L0 examples", () => {
  const key = { accessKey: '5e685006656cfc80', secretKey: '75997c30879a58436fa55d73c7b9c5c9' };

  for (const [method, body] of [
    ['GET', ''],
    ['POST', '{"name":"node-1","settings":{"enable_vless":true}}'],
  ] as const) {
    it(`accepts the seed script's ${method} header`, async () => {
      const output = runNodeFile('seed-tem-l3.mjs', {
        TEM_URL: 'http://127.0.0.1:8080/api/v1/cluster/tidbs/tidb-e6fbbdd6f4b0affc?verbose=1',
        TEM_METHOD: method,
        TEM_BODY: body,
        TEM_AK: key.accessKey,
        TEM_SK: key.secretKey,
      });
      const { name, value } = JSON.parse(output) as { name: string; value: string };
      expect(name).toBe('Authorization');
      const request = {
        authorization: value,
        method,
        url: '/api/v1/cluster/tidbs/tidb-e6fbbdd6f4b0affc?verbose=1',
        body,
      };
      const verified = await verifyTem(request, { resolveKey: () => ({ ...key, algorithm: 'L3.SHA256' }) });
      expect(verified.algorithm).toBe('L3.SHA256');
      const time = value.split(':').at(-1)!;
      expect(
        signTem({ ...key, algorithm: 'L3.SHA256', method, url: request.url, body, timestamp: time }).headers
          .Authorization,
      ).toBe(value);
    });
  }

  it('L0.SHA1 is SHA-1 of the secret, as Python computes it', () => {
    const [python] = runPythonJson<{ signature: string }[]>('seed_clients.py', [
      { scheme: 'tem-sha1-of-sk', secretKey: key.secretKey },
    ]);
    expect(signTem({ ...key, algorithm: 'L0.SHA1', method: 'GET', url: '/' }).token).toBe(
      `TEM-AUTH:${key.accessKey}:${python!.signature}`,
    );
  });
});
