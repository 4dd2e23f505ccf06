/**
 * The Redis URL for tests that need the real server. CI sets REDIS_URL and must never skip them;
 * elsewhere, without REDIS_URL, they are skipped with a visible reason.
 */
export function redisUrlForTests(): string | undefined {
  const url = process.env.REDIS_URL;
  if (!url && process.env.CI)
    throw new Error('REDIS_URL must be set in CI: the Redis tests may not be skipped there');
  if (!url) console.warn('REDIS_URL is not set: skipping the tests against a real Redis');
  return url;
}
