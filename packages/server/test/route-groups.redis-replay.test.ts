// Two servers sharing one Redis share their nonces: a signed /v1/internal request accepted by one is
// refused by the other. Real Redis (REDIS_URL; required in CI), two Fastify instances with their own
// connections, real HTTP.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openReplayStore, type ReplayStoreHandle } from '../src/index.js';
import { groupsApp, listen, signed, UNAUTHORIZED } from './support/route-groups.js';
import { redisUrlForTests } from './support/redis.js';

const redisUrl = redisUrlForTests();

describe.skipIf(!redisUrl)('/v1/internal nonces shared through Redis by two servers', () => {
  const prefix = `signet:test:route-groups:${randomBytes(6).toString('hex')}:`;
  const servers: { app: FastifyInstance; url: string; store: ReplayStoreHandle }[] = [];
  beforeAll(async () => {
    for (let i = 0; i < 2; i++) {
      const store = await openReplayStore({ REDIS_URL: redisUrl }, prefix);
      expect(store.kind).toBe('redis');
      const app = await groupsApp({ replay: store.store });
      servers.push({ app, store, ...(await listen(app)) });
    }
  });
  afterAll(async () => {
    for (const { app, store } of servers) {
      await app.close();
      await store.close();
    }
  });
  const hello = async (server: number, headers: Record<string, string>) => {
    const response = await fetch(`${servers[server]!.url}/v1/internal/user/hello-world`, { headers });
    return [response.status, await response.json()];
  };

  it('a nonce accepted by one server is refused by the other, in both directions', async () => {
    const first = signed();
    expect(await hello(0, first)).toEqual([200, { code: 20000, message: '', data: null }]);
    expect(await hello(1, first)).toEqual([401, UNAUTHORIZED]);
    const second = signed();
    expect(await hello(1, second)).toEqual([200, { code: 20000, message: '', data: null }]);
    expect(await hello(0, second)).toEqual([401, UNAUTHORIZED]);
  });

  it('concurrent copies of one request to both servers: exactly one is accepted', async () => {
    const headers = signed();
    const results = await Promise.all([0, 1, 0, 1, 0, 1].map((server) => hello(server, headers)));
    expect(results.filter(([status]) => status === 200)).toHaveLength(1);
    expect(results.filter(([status]) => status === 401)).toHaveLength(5);
  });
});
