import { RequestReplayedError } from '../errors.js';
import type { ReplayStore } from '../replay/store.js';

/**
 * Claims a signed request in a replay store for as long as its timestamp stays acceptable (until
 * `timestampMs + maxAge`), plus CLOCK_SKEW_MS, so a copy sent later in the window is refused and
 * the claim is forgotten only once the timestamp alone would refuse it, even on another server
 * sharing the store whose clock runs up to a minute behind.
 */
export const CLOCK_SKEW_MS = 60_000;

export async function claimOnce(
  store: ReplayStore,
  key: string,
  timestampMs: number,
  maxAgeSeconds: number,
  now: () => number,
  error: () => Error = () => new RequestReplayedError('this signed request was already accepted'),
): Promise<void> {
  const ttlMs = timestampMs + maxAgeSeconds * 1000 - now() + CLOCK_SKEW_MS;
  if (!(await store.claim(key, Math.max(1000, ttlMs)))) throw error();
}
