// Two `signet master` processes (A and B: different ports, one store) behind the same load balancer,
// as an attacker sees them. A request captured from A and sent again to B:
// - with REDIS_URL set on both, the replay store is shared (one `SET NX` claim per nonce or signed
//   request, under 'signet:master:replay:'), so B refuses it with 401 and nothing changes;
// - without REDIS_URL, each process claims in its own memory and B accepts it: a replay window as
//   wide as the number of masters. That contrast is what Redis adds.
// The signatures are the seeds' own code: seed 001's pseudocode in Python, seed 003's script in node.
// The Redis runs never skip in CI (REDIS_URL must be set there); nonces are random, so runs and other
// suites sharing the Redis never collide.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { generateFernetKey } from '@signet/auth';
import {
  apiStoreKinds,
  createKey,
  internalCall,
  processStore,
  seedTemAuthorization,
  sendWith,
  type CreatedKey,
  type ProcessStore,
} from './support/api-clients.js';
import { startService, type Service } from './support/process.js';

function redisUrlForTests(): string | undefined {
  const url = process.env.REDIS_URL;
  if (!url && process.env.CI)
    throw new Error('REDIS_URL must be set in CI: the Redis replay tests may not be skipped there');
  if (!url) console.warn('REDIS_URL is not set: skipping the two-master replay tests against a real Redis');
  return url;
}

const INTERNAL_KEY = randomBytes(24).toString('hex');
const redisUrl = redisUrlForTests();
const replayStores: ['Redis' | 'memory', string | undefined][] = [
  ...(redisUrl ? ([['Redis', redisUrl]] as ['Redis', string][]) : []),
  ['memory', undefined],
];
const cases = apiStoreKinds().flatMap((kind) =>
  replayStores.map(([replay, url]) => [kind, replay, url] as const),
);

describe.each(cases)('two masters on one %s store, replay store: %s', (kind, replay, url) => {
  const shared = replay === 'Redis';
  let store: ProcessStore;
  let a: Service;
  let b: Service;
  let key: CreatedKey;

  beforeAll(async () => {
    store = await processStore(kind, {
      ENCRYPTION_KEY: generateFernetKey(),
      SIGNET_INTERNAL_KEY: INTERNAL_KEY,
      API_SECRET_KEY: undefined,
      REDIS_URL: url,
    });
    // one after the other: the first brings the store up to date
    a = await startService(['master', '--port', '0', '--data', store.data], store.env);
    b = await startService(['master', '--port', '0', '--data', store.data], store.env);
    expect(a.url).not.toBe(b.url);
    key = createKey(store, 'L3.SHA256', 'read-write');
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await store?.dispose();
  });

  it(`an internal request accepted by A, replayed to B with the same nonce: ${shared ? '401' : 'accepted'}`, async () => {
    const first = await internalCall(INTERNAL_KEY, 'GET', `${a.url}/v1/internal/cluster/summary`);
    expect(first).toMatchObject({ status: 200, json: { code: 20000, message: '' } });
    const again = await internalCall(INTERNAL_KEY, 'GET', `${b.url}/v1/internal/cluster/summary`, {
      timestamp: first.timestamp,
      nonce: first.nonce,
    });
    if (shared) expect(again).toMatchObject({ status: 401, json: { code: 40100, data: null } });
    else expect(again).toMatchObject({ status: 200, json: { code: 20000, message: '' } });
    // a fresh nonce is accepted by B either way: B works, only the replay is refused
    expect((await internalCall(INTERNAL_KEY, 'GET', `${b.url}/v1/internal/user/hello-world`)).status).toBe(
      200,
    );
  });

  it(`a TEM L3 POST accepted by A, replayed to B: ${shared ? 'refused, nothing issued' : 'accepted, a second token issued'}`, async () => {
    // POST /nodes/{id}/token is not idempotent: each accepted call issues a new registration token,
    // so a replay that gets through shows as a second, different token.
    const nodeBody = `{"name": "replay-${randomBytes(4).toString('hex')}"}`;
    const nodes = `${a.url}/api/v1/nodes`;
    const created = await sendWith(
      'POST',
      nodes,
      await seedTemAuthorization(key, 'POST', nodes, nodeBody),
      nodeBody,
    );
    expect(created).toMatchObject({ status: 200, json: { Success: true } });
    const path = `/api/v1/nodes/${created.json.Data.node.id as number}/token`;
    const header = await seedTemAuthorization(key, 'POST', `${a.url}${path}`); // the path is the same on B
    const first = await sendWith('POST', `${a.url}${path}`, header);
    expect(first).toMatchObject({
      status: 200,
      json: { Success: true, Data: { token: expect.any(String) } },
    });
    const again = await sendWith('POST', `${b.url}${path}`, header);
    if (shared) {
      expect(again).toMatchObject({ status: 401, json: { Data: null, Success: false } });
    } else {
      expect(again).toMatchObject({ status: 200, json: { Success: true } });
      expect(again.json.Data.token).not.toBe(first.json.Data.token);
    }
    // replayed to A itself: refused by every replay store
    expect(await sendWith('POST', `${a.url}${path}`, header)).toMatchObject({
      status: 401,
      json: { Success: false },
    });
  });
});
