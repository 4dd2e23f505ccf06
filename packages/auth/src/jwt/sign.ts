import { type CryptoKey, type JWTPayload, type KeyObject, SignJWT } from 'jose';

export interface JwtSignOptions {
  /** The private key (a KeyObject, CryptoKey or the result of `importJWK`). */
  readonly privateKey: CryptoKey | KeyObject;
  /** Default EdDSA (Ed25519). */
  readonly alg?: string;
  /** Key id, so verifiers pick the key from a JWKS during rotation. */
  readonly kid?: string;
  readonly issuer: string;
  readonly audience: string | string[];
  readonly subject: string;
  /** Lifetime in seconds. Default 900 (15 minutes). */
  readonly expiresInSeconds?: number;
  /** The clock in milliseconds. Default `Date.now`. */
  readonly now?: () => number;
}

/** Issues a JWT for `/v1/web` or `/v1/service` (seed 001), always with an expiry and an audience. */
export async function signJwt(claims: JWTPayload, options: JwtSignOptions): Promise<string> {
  const issuedAt = Math.floor((options.now ?? Date.now)() / 1000);
  const lifetime = options.expiresInSeconds ?? 900;
  if (!Number.isInteger(lifetime) || lifetime <= 0)
    throw new RangeError('expiresInSeconds: must be a positive integer');
  return new SignJWT(claims)
    .setProtectedHeader({
      alg: options.alg ?? 'EdDSA',
      typ: 'JWT',
      ...(options.kid ? { kid: options.kid } : {}),
    })
    .setIssuer(options.issuer)
    .setAudience(options.audience)
    .setSubject(options.subject)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + lifetime)
    .sign(options.privateKey);
}
