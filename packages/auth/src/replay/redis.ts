import { ReplayStoreUnavailableError } from '../errors.js';
import type { ReplayStore } from './store.js';

/** The one Redis command the store needs, as ioredis (and compatible clients) offer it. */
export interface RedisSetNx {
  set(key: string, value: string, px: 'PX', ttlMs: number, nx: 'NX'): Promise<'OK' | null>;
}

export interface RedisReplayStoreOptions {
  /** Prefix of every key, so several services can share one Redis. Default `signet:replay:`. */
  readonly prefix?: string;
}

/**
 * A replay store shared by every process that uses the same Redis: `SET key 1 PX ttl NX` claims a
 * key atomically and Redis expires it. Any error fails closed. Give the client a short command
 * timeout and no offline queue, so an outage is reported at once instead of stalling requests.
 */
export class RedisReplayStore implements ReplayStore {
  private readonly prefix: string;

  constructor(
    private readonly redis: RedisSetNx,
    options: RedisReplayStoreOptions = {},
  ) {
    this.prefix = options.prefix ?? 'signet:replay:';
  }

  async claim(key: string, ttlMs: number): Promise<boolean> {
    try {
      const reply = await this.redis.set(this.prefix + key, '1', 'PX', Math.max(1, Math.ceil(ttlMs)), 'NX');
      return reply === 'OK';
    } catch (cause) {
      throw new ReplayStoreUnavailableError('replay store did not answer', { cause });
    }
  }
}
