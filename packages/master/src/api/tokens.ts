import type { KeyObject } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Kysely } from 'kysely';
import { createJwtVerifier, type JwtVerifier, signJwt, TokenInvalidError } from '@signet/auth';
import {
  type AdminAccount,
  type Database,
  getAdmin,
  getService,
  type ServiceAccount,
} from '../store/index.js';
import { scopesOf } from './caller.js';
import type { TokenKeyring } from './token-keyring.js';

/** The audiences of the two JWT groups of seed 001. */
export const AUDIENCE = Object.freeze({ web: 'signet-web', service: 'signet-service' });
/** The master's default issuer name (`signet service token --issuer` must match it). */
export const DEFAULT_ISSUER = 'signet-master';
/** Service tokens may live up to 30 days; web sessions an hour by default. */
export const SERVICE_TOKEN_MAX_AGE_SECONDS = 30 * 24 * 3600;

export interface TokenKeys {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly jwks: { readonly keys: readonly object[] };
}

/** A web session token for an admin: every scope, and the account id so a re-created name does not inherit it. */
export function issueWebToken(
  keys: TokenKeys,
  issuer: string,
  admin: AdminAccount,
  lifetimeSeconds: number,
): Promise<string> {
  return signJwt(
    { scope: 'read write', aid: admin.id },
    {
      privateKey: keys.privateKey,
      kid: keys.kid,
      issuer,
      audience: AUDIENCE.web,
      subject: admin.name,
      expiresInSeconds: lifetimeSeconds,
    },
  );
}

/**
 * A token for a named service, with the service's scope. `iat` is in whole seconds and a token
 * from the second of the service's creation or last revocation counts as revoked, so this waits
 * for the next second when needed (at most one).
 */
export async function issueServiceToken(
  keys: TokenKeys,
  issuer: string,
  service: ServiceAccount,
  lifetimeSeconds: number,
): Promise<{ token: string; expiresAt: Date }> {
  if (
    !Number.isInteger(lifetimeSeconds) ||
    lifetimeSeconds < 1 ||
    lifetimeSeconds > SERVICE_TOKEN_MAX_AGE_SECONDS
  ) {
    throw new RangeError(`lifetimeSeconds: expected 1 to ${SERVICE_TOKEN_MAX_AGE_SECONDS}`);
  }
  const validFrom = Math.ceil(service.tokensValidAfter.getTime() / 1000) * 1000;
  if (Date.now() < validFrom) await sleep(validFrom - Date.now());
  const now = Date.now();
  const token = await signJwt(
    { scope: scopesOf(service.scope).join(' ') },
    {
      privateKey: keys.privateKey,
      kid: keys.kid,
      issuer,
      audience: AUDIENCE.service,
      subject: service.name,
      expiresInSeconds: lifetimeSeconds,
      now: () => now,
    },
  );
  return { token, expiresAt: new Date((Math.floor(now / 1000) + lifetimeSeconds) * 1000) };
}

/** A verifier over the keyring's keys, made again only when the keys change. */
function keyringVerifier(
  keyring: TokenKeyring,
  options: Omit<Parameters<typeof createJwtVerifier>[0], 'jwks'>,
): JwtVerifier {
  const made = new WeakMap<TokenKeys, JwtVerifier>();
  return async (token) => {
    const keys = await keyring.forToken(token);
    let verify = made.get(keys);
    if (verify === undefined) {
      verify = createJwtVerifier({ ...options, jwks: { keys: [...keys.jwks.keys] } });
      made.set(keys, verify);
    }
    return verify(token);
  };
}

/** Web tokens: valid while the admin account they were issued to exists, until its sessions are ended. */
export function webVerifier(db: Kysely<Database>, keyring: TokenKeyring, issuer: string): JwtVerifier {
  const verify = keyringVerifier(keyring, { issuer, audience: AUDIENCE.web });
  return async (token) => {
    const claims = await verify(token);
    const admin = await getAdmin(db, String(claims.sub));
    if (admin === null || admin.id !== claims['aid'])
      throw new TokenInvalidError('the account no longer exists');
    // A password change or a logout ends the sessions issued before it.
    if (Number(claims.iat) * 1000 < admin.sessionsValidAfter.getTime()) {
      throw new TokenInvalidError('the session has ended');
    }
    return claims;
  };
}

/**
 * Service tokens: the named service must still exist, the token must be newer than its last
 * revocation, and its scope is the service's current one (a narrowed service is narrowed at once).
 */
export function serviceVerifier(db: Kysely<Database>, keyring: TokenKeyring, issuer: string): JwtVerifier {
  const verify = keyringVerifier(keyring, {
    issuer,
    audience: AUDIENCE.service,
    maxTokenAgeSeconds: SERVICE_TOKEN_MAX_AGE_SECONDS,
  });
  return async (token) => {
    const claims = await verify(token);
    const service = await getService(db, String(claims.sub));
    const issuedAtMs = Number(claims.iat) * 1000;
    // `iat` is in whole seconds: a token from the second of a revocation counts as revoked too.
    if (service === null || issuedAtMs < service.tokensValidAfter.getTime()) {
      throw new TokenInvalidError('the service token was revoked');
    }
    return { ...claims, scope: scopesOf(service.scope).join(' ') };
  };
}
