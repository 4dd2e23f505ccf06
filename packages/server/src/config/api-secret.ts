/**
 * API_SECRET_KEY (seed 002), or another key variable of the same form: required, never generated.
 * A comma-separated list is accepted, newest first, so a new key can reach callers before the old
 * one is removed. Returns undefined when unset.
 */
export function apiSecretKeys(
  env: NodeJS.ProcessEnv = process.env,
  variable = 'API_SECRET_KEY',
): string[] | undefined {
  const value = env[variable];
  if (!value) return undefined;
  const keys = value
    .split(',')
    .map((key) => key.trim())
    .filter((key) => key.length > 0);
  return keys.length > 0 ? keys : undefined;
}

/** MAX_REQUEST_AGE_SECONDS (seed 002), default 300; a malformed value is an error, not a silent default. */
export function maxRequestAgeSeconds(env: NodeJS.ProcessEnv = process.env): number {
  const value = env['MAX_REQUEST_AGE_SECONDS'];
  if (value === undefined || value === '') return 300;
  if (!/^[1-9][0-9]{0,6}$/.test(value))
    throw new RangeError('MAX_REQUEST_AGE_SECONDS must be a whole number of seconds');
  return Number(value);
}
