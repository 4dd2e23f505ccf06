import { createLocalJWKSet, errors, type JSONWebKeySet, type JWTPayload, jwtVerify } from 'jose';
import { MalformedError, TokenExpiredError, TokenInvalidError } from '../errors.js';

export interface JwtVerifierOptions {
  /** The public keys, as served at the JWKS route. */
  readonly jwks: JSONWebKeySet;
  readonly issuer: string;
  readonly audience: string;
  /** Accepted algorithms; never `none`. Default ['EdDSA', 'ES256']. */
  readonly algorithms?: readonly string[];
  /** Tolerated clock difference in seconds. Default 30. */
  readonly clockToleranceSeconds?: number;
  /** Oldest accepted token, by `iat`, in seconds. Default 86 400. */
  readonly maxTokenAgeSeconds?: number;
  /** The clock in milliseconds. Default `Date.now`. */
  readonly now?: () => number;
}

export type JwtVerifier = (token: string) => Promise<JWTPayload>;

/** A verifier for JWTs from one issuer and for one audience; expiry is required. */
export function createJwtVerifier(options: JwtVerifierOptions): JwtVerifier {
  const keys = createLocalJWKSet(options.jwks);
  const algorithms = [...(options.algorithms ?? ['EdDSA', 'ES256'])];
  return async (token) => {
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer: options.issuer,
        audience: options.audience,
        algorithms,
        requiredClaims: ['exp', 'sub', 'iat'],
        // Also makes jose check that `iat` is not in the future.
        maxTokenAge: options.maxTokenAgeSeconds ?? 86_400,
        clockTolerance: options.clockToleranceSeconds ?? 30,
        currentDate: new Date((options.now ?? Date.now)()),
      });
      return payload;
    } catch (cause) {
      // jose's messages name claims, never the token; ours are shorter still.
      if (cause instanceof errors.JWTExpired) throw new TokenExpiredError('token has expired', { cause });
      throw new TokenInvalidError('token is not valid for this service', { cause });
    }
  };
}

/** The token of an `Authorization: Bearer <token>` header. */
export function bearerToken(header: string | undefined): string {
  const match = header === undefined ? null : /^Bearer +([A-Za-z0-9._~+/-]+=*)$/i.exec(header.trim());
  if (!match?.[1]) throw new MalformedError('Authorization must be "Bearer <token>"');
  return match[1];
}
