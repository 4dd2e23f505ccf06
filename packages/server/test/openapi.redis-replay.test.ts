// Two servers sharing one Redis share their replay claims: a signed POST or DELETE accepted by one
// is refused by the other. Real Redis (REDIS_URL; required in CI), two Fastify instances with their
// own connections, real HTTP.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openReplayStore, type ReplayStoreHandle } from '../src/index.js';
import { authorization, type OpenApiApp, openApiApp, PREFIX, send, UNAUTHORIZED } from './support/openapi.js';
import { redisUrlForTests } from './support/redis.js';
import { listen } from './support/route-groups.js';

const redisUrl = redisUrlForTests();

describe.skipIf(!redisUrl)('/api/v1 replays refused across two servers sharing Redis', () => {
  const prefix = `signet:test:openapi:${randomBytes(6).toString('hex')}:`;
  const servers: (OpenApiApp & { url: string; store: ReplayStoreHandle })[] = [];
  beforeAll(async () => {
    for (let i = 0; i < 2; i++) {
      const store = await openReplayStore({ REDIS_URL: redisUrl }, prefix);
      expect(store.kind).toBe('redis');
      const server = await openApiApp({ replay: store.store });
      servers.push({ ...server, store, ...(await listen(server.app)) });
    }
  });
  afterAll(async () => {
    for (const { app, store } of servers) {
      await app.close();
      await store.close();
    }
  });
  const deleteNode = async (server: number, header: string) => {
    const answer = await send(servers[server]!.url, 'DELETE', `${PREFIX}/nodes/n1`, {
      authorization: header,
    });
    return [answer.status, answer.json];
  };
  const deleted = [200, { Data: { deleted: 'n1' }, Success: true }];

  it('a DELETE accepted by one server is refused by the other, in both directions', async () => {
    const first = authorization('L3.SHA256', { method: 'DELETE', url: `${PREFIX}/nodes/n1` });
    expect(await deleteNode(0, first)).toEqual(deleted);
    expect(await deleteNode(1, first)).toEqual([401, UNAUTHORIZED]);
    // A second later the client's next request has another signature.
    const second = authorization('L3.SHA256', {
      method: 'DELETE',
      url: `${PREFIX}/nodes/n1`,
      timestamp: String(Math.floor(Date.now() / 1000) + 1),
    });
    expect(await deleteNode(1, second)).toEqual(deleted);
    expect(await deleteNode(0, second)).toEqual([401, UNAUTHORIZED]);
  });

  it('concurrent copies of one POST to both servers: exactly one is accepted', async () => {
    const body = `{"name":"n-${randomBytes(4).toString('hex')}"}`;
    const header = authorization('L3.HMAC-SHA256', { method: 'POST', url: `${PREFIX}/nodes`, body });
    const results = await Promise.all(
      [0, 1, 0, 1, 0, 1].map((i) =>
        send(servers[i]!.url, 'POST', `${PREFIX}/nodes`, { authorization: header, body }),
      ),
    );
    expect(results.filter(({ status }) => status === 200)).toHaveLength(1);
    expect(results.filter(({ status }) => status === 401)).toHaveLength(5);
    expect(servers[0]!.calls.count + servers[1]!.calls.count).toBe(3); // 2 deletes + this one post
  });
});
