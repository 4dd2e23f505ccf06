import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryReplayStore, RedisReplayStore } from '@signet/auth';
import { redisUrlForTests } from './support/redis.js';

describe('MemoryReplayStore', () => {
  it('claims a key once until its time-to-live ends', async () => {
    let now = 0;
    const store = new MemoryReplayStore({ now: () => now });
    expect(await store.claim('a', 1000)).toBe(true);
    expect(await store.claim('a', 1000)).toBe(false);
    now = 999;
    expect(await store.claim('a', 1000)).toBe(false);
    now = 1000;
    expect(await store.claim('a', 1000)).toBe(true);
  });

  it('forgets expired claims, so memory follows the live window', async () => {
    let now = 0;
    const store = new MemoryReplayStore({ now: () => now });
    for (let i = 0; i < 1000; i++) await store.claim(`k${i}`, 1000);
    expect(store.size).toBe(1000);
    now = 5000;
    await store.claim('fresh', 1000);
    expect(store.size).toBe(1);
  });

  it('refuses new claims when full instead of evicting live ones', async () => {
    const store = new MemoryReplayStore({ maxEntries: 2, now: () => 0 });
    await store.claim('a', 60_000);
    await store.claim('b', 60_000);
    await expect(store.claim('c', 60_000)).rejects.toMatchObject({ code: 'REPLAY_STORE_UNAVAILABLE' });
    expect(await store.claim('a', 60_000)).toBe(false); // 'a' is still remembered
  });
});

const redisUrl = redisUrlForTests();

describe.skipIf(!redisUrl)('RedisReplayStore against a real Redis', () => {
  const clients: Redis[] = [];
  const connect = (url: string) => {
    const client = new Redis(url, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: 500,
    });
    clients.push(client);
    return client;
  };
  afterAll(() => clients.forEach((client) => client.disconnect()));

  it('shares claims between independent clients (two processes, one Redis)', async () => {
    const [a, b] = [connect(redisUrl!), connect(redisUrl!)];
    await Promise.all([a.connect(), b.connect()]);
    const prefix = `test:${randomUUID()}:`;
    const storeA = new RedisReplayStore(a, { prefix });
    const storeB = new RedisReplayStore(b, { prefix });
    expect(await storeA.claim('nonce-1', 10_000)).toBe(true);
    expect(await storeB.claim('nonce-1', 10_000)).toBe(false);
    expect(await a.pttl(`${prefix}nonce-1`)).toBeGreaterThan(9_000);
  });

  it('lets a claim expire with its time-to-live', async () => {
    const client = connect(redisUrl!);
    await client.connect();
    const store = new RedisReplayStore(client, { prefix: `test:${randomUUID()}:` });
    expect(await store.claim('k', 50)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(await store.claim('k', 50)).toBe(true);
  });

  it('fails closed when Redis cannot be reached', async () => {
    const down = connect('redis://127.0.0.1:1');
    down.on('error', () => {});
    await down.connect().catch(() => {});
    const store = new RedisReplayStore(down);
    await expect(store.claim('k', 1000)).rejects.toMatchObject({ code: 'REPLAY_STORE_UNAVAILABLE' });
  });
});
