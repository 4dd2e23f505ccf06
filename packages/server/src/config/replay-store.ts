import { MemoryReplayStore, RedisReplayStore, type ReplayStore } from '@signet/auth';

export interface ReplayStoreHandle {
  readonly store: ReplayStore;
  readonly kind: 'memory' | 'redis';
  close(): Promise<void>;
}

/**
 * The replay store for a service: Redis when REDIS_URL is set (shared by every process; connected
 * before this resolves; while Redis is down later, requests fail closed and the client reconnects),
 * otherwise this process's memory.
 */
export async function openReplayStore(
  env: NodeJS.ProcessEnv = process.env,
  prefix = 'signet:replay:',
): Promise<ReplayStoreHandle> {
  const url = env['REDIS_URL'];
  if (!url) return { store: new MemoryReplayStore(), kind: 'memory', close: async () => {} };
  const { Redis } = await import('ioredis'); // only when REDIS_URL is set
  const redis = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: 1000,
  });
  redis.on('error', () => {}); // reported per request as REPLAY_STORE_UNAVAILABLE
  await redis.connect();
  return {
    store: new RedisReplayStore(redis, { prefix }),
    kind: 'redis',
    close: async () => {
      redis.disconnect();
    },
  };
}
