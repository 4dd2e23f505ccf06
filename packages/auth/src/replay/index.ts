export type { ReplayStore } from './store.js';
export { MemoryReplayStore, type MemoryReplayStoreOptions } from './memory.js';
export { RedisReplayStore, type RedisReplayStoreOptions, type RedisSetNx } from './redis.js';
