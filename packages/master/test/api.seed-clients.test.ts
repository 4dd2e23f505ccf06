// Seeds 001 and 003, by their own code in real processes, against a real `signet master` process on
// SQLite and (when DATABASE_URL is set, always in CI) PostgreSQL:
// - seed 001's signature pseudocode in Python (`requests`) on /v1/internal;
// - seed 003's Postman script in a separate `node` process, a Python hashlib client, and the seed's
//   L0.PLAINTEXT curl line on the AK/SK OpenAPI at /api/v1, with keys made by `signet key create`.
// Every signature here is computed by the seeds' code, never by Signet.
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateFernetKey } from '@signet/auth';
import { L0_DISABLED_MESSAGE } from '@signet/server';
import {
  apiStoreKinds,
  bashScript,
  createKey,
  internalCall,
  processStore,
  pythonTemCall,
  seedTemAuthorization,
  sendWith,
  SEED_003_SCRIPT,
  type ProcessStore,
} from './support/api-clients.js';
import { startService, type Service } from './support/process.js';

const INTERNAL_KEY = randomBytes(24).toString('hex');
const RETIRED_INTERNAL_KEY = randomBytes(24).toString('hex');
const unauthorized = { code: 40100, message: expect.any(String), data: null };
const now = () => Math.floor(Date.now() / 1000);
const unique = (what: string) => `${what}-${Date.now()}-${randomBytes(3).toString('hex')}@example.com`;

describe.each(apiStoreKinds())('the seeds’ clients against `signet master` on %s', (kind) => {
  let store: ProcessStore;
  let master: Service; // the default: L0 keys refused
  let l0Master: Service; // --allow-l0-keys, on the same store

  beforeAll(async () => {
    store = await processStore(kind, {
      ENCRYPTION_KEY: generateFernetKey(),
      // two keys, newest first: rotation (both verify)
      SIGNET_INTERNAL_KEY: `${INTERNAL_KEY},${RETIRED_INTERNAL_KEY}`,
      API_SECRET_KEY: undefined,
      REDIS_URL: undefined,
      MAX_REQUEST_AGE_SECONDS: undefined,
    });
    master = await startService(['master', '--port', '0', '--data', store.data], store.env);
    l0Master = await startService(
      ['master', '--port', '0', '--data', store.data, '--allow-l0-keys'],
      store.env,
    );
    expect(master.output()).toContain(`(store: ${kind})`);
  });
  afterAll(async () => {
    await master?.stop();
    await l0Master?.stop();
    await store?.dispose();
  });

  describe('seed 001: /v1/internal with the pseudocode’s signature, in Python', () => {
    it('GET /v1/internal/user/hello-world answers exactly {"code": 20000, "message": "", "data": null}', async () => {
      const answer = await internalCall(INTERNAL_KEY, 'GET', `${master.url}/v1/internal/user/hello-world`);
      expect(answer).toMatchObject({ status: 200 });
      expect(answer.json).toStrictEqual({ code: 20000, message: '', data: null });
    });

    // The signature covers only timestamp and nonce (the seed's design), never the method, path or
    // body: any route of the group is called with the same kind of headers.
    it('GET /v1/internal/cluster/summary and POST /v1/internal/users succeed', async () => {
      const summary = await internalCall(INTERNAL_KEY, 'GET', `${master.url}/v1/internal/cluster/summary`);
      expect(summary.status).toBe(200);
      expect(summary.json).toMatchObject({ code: 20000, message: '', data: expect.any(Object) });

      const email = unique('internal');
      const created = await internalCall(INTERNAL_KEY, 'POST', `${master.url}/v1/internal/users`, {
        body: { email },
      });
      expect(created.status).toBe(200);
      expect(created.json).toMatchObject({ code: 20000, message: '', data: { email } });
      const listed = await internalCall(INTERNAL_KEY, 'GET', `${master.url}/v1/internal/users`);
      expect(listed.json.data.map((u: { email: string }) => u.email)).toContain(email);
    });

    it('a retired key still verifies during rotation; any other key is refused', async () => {
      const url = `${master.url}/v1/internal/user/hello-world`;
      expect((await internalCall(RETIRED_INTERNAL_KEY, 'GET', url)).status).toBe(200);
      const wrong = await internalCall('my-secret-key', 'GET', url);
      expect(wrong).toMatchObject({ status: 401, json: unauthorized });
    });

    it('the same nonce replayed → 401 in the envelope, and the replayed POST changes nothing', async () => {
      const email = unique('replay');
      const url = `${master.url}/v1/internal/users`;
      const first = await internalCall(INTERNAL_KEY, 'POST', url, { body: { email } });
      expect(first.status).toBe(200);
      await internalCall(INTERNAL_KEY, 'DELETE', `${url}/${email}`);
      const replay = await internalCall(INTERNAL_KEY, 'POST', url, {
        body: { email },
        timestamp: first.timestamp,
        nonce: first.nonce,
      });
      expect(replay).toMatchObject({ status: 401, json: unauthorized });
      const listed = await internalCall(INTERNAL_KEY, 'GET', url);
      expect(listed.json.data.map((u: { email: string }) => u.email)).not.toContain(email);
    });

    // the same signature code inside the window is accepted: the 401s come from the time alone
    it.each([
      ['stale', -3600, 401],
      ['301 s old', -301, 401],
      ['future', 3600, 401],
      ['200 s old (inside the 300 s window)', -200, 200],
      ['100 s ahead (inside the window)', 100, 200],
    ])('a %s timestamp (%i s from now) → %i', async (_what, offset, status) => {
      const answer = await internalCall(INTERNAL_KEY, 'GET', `${master.url}/v1/internal/user/hello-world`, {
        timestamp: String(now() + offset),
      });
      expect(answer).toMatchObject({
        status,
        json: status === 200 ? { code: 20000, message: '', data: null } : unauthorized,
      });
    });
  });

  describe('seed 003: /api/v1 with the seed’s script in node, Python hashlib, and the L0 curl line', () => {
    it('the script the tests run is the seed’s text, line for line', () => {
      const seeds = new URL('../../../../shared/seeds/', import.meta.url);
      if (!existsSync(seeds)) {
        if (process.env.CI) throw new Error('shared/seeds must sit beside the repository in CI');
        console.warn('shared/seeds is not beside the repository: the verbatim check is skipped');
        return;
      }
      const seedFile = readdirSync(seeds).find((name) => name.startsWith('003_'))!;
      const seed = readFileSync(new URL(seedFile, seeds), 'utf8');
      const client = readFileSync(SEED_003_SCRIPT, 'utf8');
      const script = client.split('// ---- seed 003, verbatim ----\n')[1]!;
      expect(script.split('\n').length).toBeGreaterThan(20);
      expect(seed).toContain(script.trimEnd());
    });

    it('its Authorization for GET, POST (JSON body) and DELETE is accepted with {"Data": …, "Success": true}', async () => {
      const key = createKey(store, 'L3.SHA256', 'read-write');
      const nodesUrl = `${master.url}/api/v1/nodes`;
      const nodes = await sendWith('GET', nodesUrl, await seedTemAuthorization(key, 'GET', nodesUrl));
      expect(nodes).toMatchObject({ status: 200, json: { Data: expect.any(Array), Success: true } });

      const email = unique('tem');
      const body = `{"email": "${email}"}`; // sent, and signed, exactly as this text
      const usersUrl = `${master.url}/api/v1/users`;
      const created = await sendWith(
        'POST',
        usersUrl,
        await seedTemAuthorization(key, 'POST', usersUrl, body),
        body,
      );
      expect(created).toMatchObject({ status: 200, json: { Data: { email }, Success: true } });

      const userUrl = `${usersUrl}/${email}`;
      const got = await sendWith('GET', userUrl, await seedTemAuthorization(key, 'GET', userUrl));
      expect(got).toMatchObject({ status: 200, json: { Data: { email }, Success: true } });

      const deleted = await sendWith('DELETE', userUrl, await seedTemAuthorization(key, 'DELETE', userUrl));
      expect(deleted).toMatchObject({ status: 200, json: { Success: true } });
      expect(deleted.json).toHaveProperty('Data');

      const gone = await sendWith('GET', userUrl, await seedTemAuthorization(key, 'GET', userUrl));
      expect(gone).toMatchObject({
        status: 404,
        json: { Data: null, Success: false, Message: expect.any(String) },
      });
    });

    it('its POST header is bound to the body, and replayed it is refused', async () => {
      const key = createKey(store, 'L3.SHA256', 'read-write');
      const email = unique('bound');
      const body = `{"email": "${email}"}`;
      const url = `${master.url}/api/v1/users`;
      const authorization = await seedTemAuthorization(key, 'POST', url, body);
      const tampered = await sendWith('POST', url, authorization, body.replace(email, `x${email}`));
      expect(tampered).toMatchObject({ status: 401, json: { Data: null, Success: false } });
      expect((await sendWith('POST', url, authorization, body)).json).toMatchObject({ Success: true });
      const replayed = await sendWith('POST', url, authorization, body);
      expect(replayed).toMatchObject({ status: 401, json: { Data: null, Success: false } });
    });

    it.each(['L3.SHA1', 'L3.SHA256'])(
      'a Python hashlib client with an %s key is accepted',
      async (algorithm) => {
        const key = createKey(store, algorithm, 'read-write');
        const summary = await pythonTemCall(key, 'GET', `${master.url}/api/v1/cluster/summary`);
        expect(summary).toMatchObject({ status: 200, json: { Data: expect.any(Object), Success: true } });
        const email = unique(algorithm.toLowerCase());
        const created = await pythonTemCall(
          key,
          'POST',
          `${master.url}/api/v1/users`,
          `{"email": "${email}"}`,
        );
        expect(created).toMatchObject({ status: 200, json: { Data: { email }, Success: true } });
        const deleted = await pythonTemCall(key, 'DELETE', `${master.url}/api/v1/users/${email}`);
        expect(deleted).toMatchObject({ status: 200, json: { Success: true } });
      },
    );

    it('the seed’s L0.PLAINTEXT curl line is refused with the L0 message by default, accepted with --allow-l0-keys', async () => {
      const key = createKey(store, 'L0.PLAINTEXT', 'read-only');
      const env = { AK: key.accessKey, SK: key.secretKey };
      const refused = await bashScript('seed003-curl-l0.sh', { ...env, MASTER_URL: master.url });
      expect(refused).toMatchObject({ Data: null, Success: false, Message: L0_DISABLED_MESSAGE });
      expect(L0_DISABLED_MESSAGE).toMatch(/L0 keys are disabled/);
      const accepted = await bashScript('seed003-curl-l0.sh', { ...env, MASTER_URL: l0Master.url });
      expect(accepted).toMatchObject({ Data: expect.any(Object), Success: true });
      // and a wrong secret is refused even where L0 is allowed
      const wrong = await bashScript('seed003-curl-l0.sh', {
        ...env,
        SK: 'not-the-secret',
        MASTER_URL: l0Master.url,
      });
      expect(wrong).toMatchObject({ Data: null, Success: false });
    });
  });
});
