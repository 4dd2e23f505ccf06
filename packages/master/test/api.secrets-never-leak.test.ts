// Across a run with logins, key creations and rotations, signed requests of every family and their
// failures: no password, secret key, signature, JWT or pre-shared key appears in any log line, nor
// in any answer except the SK in the create and rotate answers (and the JWT in the login answer).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN,
  type ApiMaster,
  bearerRequest,
  INTERNAL_KEY,
  internalHeaders,
  type Key,
  login,
  type Response,
  send,
  serviceToken,
  startApiMaster,
  temAuthorization,
  temRequest,
  unixTime,
} from './support/api-master.js';
import { storeKinds } from './support/store.js';
import { createAdmin } from '../src/index.js';

describe.each(storeKinds())('secrets never leak on %s', (kind) => {
  const logLines: string[] = [];
  let api: ApiMaster;
  /** Answers that may carry a secret (the one they issue), and all the others. */
  const issuing: Response[] = [];
  const others: Response[] = [];
  const secrets = new Set<string>();
  const tokens = new Set<string>();
  const keep = (res: Response, issues = false) => {
    (issues ? issuing : others).push(res);
    const signature = /TEM-AUTH:[^:]+:([^:]+)/.exec(res.authorization)?.[1];
    if (signature) secrets.add(signature);
    return res;
  };

  beforeAll(async () => {
    api = await startApiMaster(kind, { logLines, allowLevel0Keys: true });
    secrets.add(ADMIN.password).add(INTERNAL_KEY).add(api.encryptionKey);
    await createAdmin(api.master.db, ADMIN.name, ADMIN.password);

    // logins, right and wrong
    const ok = keep(await login(api, ADMIN.name, ADMIN.password), true);
    const web = ok.json.data.token as string;
    tokens.add(web);
    const wrongPassword = 'this is the wrong password';
    secrets.add(wrongPassword);
    keep(await login(api, ADMIN.name, wrongPassword));
    keep(await login(api, 'nobody', ADMIN.password));

    // keys: created and rotated (the SK is in those answers only)
    const keys: Key[] = [];
    for (const algorithm of ['L3.SHA256', 'L3.HMAC-SHA256', 'L0.PLAINTEXT', 'L0.SHA1']) {
      const res = keep(
        await bearerRequest(
          api,
          web,
          'POST',
          '/v1/web/keys',
          JSON.stringify({ algorithm, scope: 'read-write' }),
        ),
        true,
      );
      expect(res.status, res.text).toBe(200);
      keys.push({ accessKey: res.json.data.accessKey, secretKey: res.json.data.secretKey, algorithm });
      secrets.add(res.json.data.secretKey);
    }
    const rotated = keep(
      await bearerRequest(api, web, 'POST', `/v1/web/keys/${keys[0]!.accessKey}/rotate`),
      true,
    );
    secrets.add(rotated.json.data.secretKey);
    keys[0] = { ...keys[0]!, secretKey: rotated.json.data.secretKey };

    // signed requests, good and bad, every algorithm
    let n = 0;
    for (const key of keys) {
      const t = () => ({ timestamp: unixTime(-(n++ % 250)) });
      keep(await temRequest(api, key, 'GET', '/api/v1/keys', undefined, t()));
      keep(await temRequest(api, key, 'POST', '/api/v1/users', JSON.stringify({ email: `${n}@x.io` }), t()));
      keep(
        await temRequest(api, key, 'POST', '/api/v1/users', JSON.stringify({ email: 'not an email' }), t()),
      );
      keep(await temRequest(api, key, 'POST', '/api/v1/nodes/1/restart', undefined, t()));
      keep(
        await temRequest(api, { ...key, secretKey: '0'.repeat(32) }, 'GET', '/api/v1/keys', undefined, t()),
      );
      keep(await temRequest(api, key, 'GET', '/api/v1/keys', undefined, { timestamp: unixTime(-1000) }));
      const auth = temAuthorization(key, 'DELETE', '/api/v1/users/1@x.io');
      keep(await send(api, 'DELETE', '/api/v1/users/1@x.io', { authorization: auth }));
      keep(await send(api, 'DELETE', '/api/v1/users/1@x.io', { authorization: auth })); // replay
      keep(await send(api, 'GET', '/api/v1/keys', { authorization: `${auth}:extra` }));
    }
    // the old SK after the rotation
    const rotatedAway = { ...keys[0]!, secretKey: issuing[1]!.json.data.secretKey as string };
    keep(await temRequest(api, rotatedAway, 'GET', '/api/v1/keys'));

    // internal and service
    const internal = internalHeaders();
    secrets.add(internal['X-Signature']!);
    keep(await send(api, 'GET', '/v1/internal/cluster/summary', internal));
    keep(await send(api, 'GET', '/v1/internal/cluster/summary', internal)); // replayed nonce
    const forged = internalHeaders({ secret: 'guess' });
    secrets.add(forged['X-Signature']!);
    keep(await send(api, 'GET', '/v1/internal/cluster/summary', forged));
    const svc = await serviceToken(api, 'svc', 'read-only');
    tokens.add(svc);
    keep(await bearerRequest(api, svc, 'GET', '/v1/service/nodes'));
    keep(await bearerRequest(api, svc, 'POST', '/v1/service/nodes', '{"name":"x"}'));
    keep(await bearerRequest(api, svc, 'GET', '/v1/web/me'));
    keep(await bearerRequest(api, web, 'GET', '/v1/service/me'));
    keep(await bearerRequest(api, `${web}x`, 'GET', '/v1/web/me'));
    keep(await bearerRequest(api, web, 'GET', '/v1/web/audit?limit=500'));
    await new Promise((resolve) => setTimeout(resolve, 100)); // the last audit rows and log lines
  });
  afterAll(() => api?.close());

  const fragments = () => {
    const all = [...secrets, ...tokens];
    // JWTs also in parts: a header or signature segment alone must not appear either
    for (const token of tokens) all.push(...token.split('.').slice(1));
    return all.filter((s) => s.length >= 8);
  };

  it('captured a real run', () => {
    expect(logLines.length).toBeGreaterThan(50);
    expect(logLines.some((line) => line.includes('authentication failed'))).toBe(true);
    expect(secrets.size).toBeGreaterThan(15);
    expect(others.length).toBeGreaterThan(40);
  });

  it('no log line contains a password, secret key, signature, JWT or the pre-shared key', () => {
    const log = logLines.join('\n');
    for (const secret of fragments())
      expect(log.includes(secret), `a secret of ${secret.length} chars in the log`).toBe(false);
  });

  it('no other answer contains them, and error messages never do', () => {
    for (const res of others) {
      for (const secret of fragments()) {
        expect(res.text.includes(secret), `a secret in ${res.status} ${res.text.slice(0, 120)}`).toBe(false);
      }
    }
    const failures = others.filter((res) => res.status >= 400);
    expect(failures.length).toBeGreaterThan(20);
    for (const res of failures) {
      const message = String(res.json.message ?? res.json.Message);
      expect(message).not.toMatch(/TEM-AUTH|Bearer|eyJ/);
    }
  });

  it('an issuing answer carries only the secret it issues', () => {
    for (const res of issuing) {
      const own = res.json.data.secretKey ?? res.json.data.token;
      for (const secret of fragments()) {
        if (secret === own || own.split('.').includes(secret)) continue;
        expect(res.text.includes(secret), `another secret in ${res.text.slice(0, 80)}`).toBe(false);
      }
    }
  });
});
