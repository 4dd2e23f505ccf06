import type { JwtVerifier, Keyring, ReplayStore, Secret } from '@signet/auth';

/** Options given to a route-group plugin are unusable; thrown at registration, never per request. */
export class RouteGroupOptionsError extends Error {
  override readonly name = 'RouteGroupOptionsError';
  readonly code = 'ROUTE_GROUP_OPTIONS_INVALID';
}

const usableSecret = (secret: unknown): boolean =>
  (typeof secret === 'string' || secret instanceof Uint8Array) && secret.length > 0;

/** A non-empty keyring of non-empty secrets, copied so later changes by the caller do not apply. */
export function checkKeyring(value: unknown, name: string): Keyring {
  if (Array.isArray(value)) {
    if (value.length === 0 || !value.every(usableSecret)) {
      throw new RouteGroupOptionsError(`${name}: expected a non-empty list of non-empty secrets`);
    }
    return Object.freeze([...(value as Secret[])]);
  }
  if (!usableSecret(value)) throw new RouteGroupOptionsError(`${name}: expected a non-empty secret`);
  return value as Keyring;
}

export function checkReplayStore(value: unknown, name: string): ReplayStore {
  if (typeof (value as Partial<ReplayStore> | null)?.claim !== 'function') {
    throw new RouteGroupOptionsError(
      `${name}: expected a ReplayStore (MemoryReplayStore or RedisReplayStore)`,
    );
  }
  return value as ReplayStore;
}

export function checkMaxAge(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new RouteGroupOptionsError(`${name}: expected a positive whole number of seconds`);
  }
  return value;
}

export function checkVerifier(value: unknown, name: string): JwtVerifier {
  if (typeof value !== 'function') {
    throw new RouteGroupOptionsError(`${name}: expected a verifier made by createJwtVerifier`);
  }
  return value as JwtVerifier;
}
