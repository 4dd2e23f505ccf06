/**
 * One base class and one class per code. Codes are stable strings that servers map to HTTP
 * statuses; messages never contain secrets, signatures or tokens.
 */

export const AUTH_ERROR_CODES = Object.freeze([
  'MALFORMED',
  'SIGNATURE_MISMATCH',
  'TIMESTAMP_INVALID',
  'TIMESTAMP_EXPIRED',
  'NONCE_REPLAYED',
  'REQUEST_REPLAYED',
  'KEY_UNKNOWN',
  'KEY_DISABLED',
  'KEY_INVALID',
  'ALGORITHM_NOT_ALLOWED',
  'TOKEN_INVALID',
  'TOKEN_EXPIRED',
  'DECRYPTION_FAILED',
  'REPLAY_STORE_UNAVAILABLE',
] as const);

export type AuthErrorCode = (typeof AUTH_ERROR_CODES)[number];

export abstract class SignetAuthError extends Error {
  abstract readonly code: AuthErrorCode;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The input is not in the scheme's format (header layout, JSON body, encoding). */
export class MalformedError extends SignetAuthError {
  readonly code = 'MALFORMED';
}
/** The signature is well formed but matches no key. */
export class SignatureMismatchError extends SignetAuthError {
  readonly code = 'SIGNATURE_MISMATCH';
}
/** The timestamp is missing or not in the scheme's strict format. */
export class TimestampInvalidError extends SignetAuthError {
  readonly code = 'TIMESTAMP_INVALID';
}
/** The timestamp is outside the allowed window, in the past or the future. */
export class TimestampExpiredError extends SignetAuthError {
  readonly code = 'TIMESTAMP_EXPIRED';
}
/** The nonce was already used within its window. */
export class NonceReplayedError extends SignetAuthError {
  readonly code = 'NONCE_REPLAYED';
}
/** The exact same signed request was already accepted within its window. */
export class RequestReplayedError extends SignetAuthError {
  readonly code = 'REQUEST_REPLAYED';
}
/** No key is known for the presented identifier. */
export class KeyUnknownError extends SignetAuthError {
  readonly code = 'KEY_UNKNOWN';
}
/** The key exists but is disabled. */
export class KeyDisabledError extends SignetAuthError {
  readonly code = 'KEY_DISABLED';
}
/** Key material given to a signer or verifier is unusable (wrong length, encoding or type). */
export class KeyInvalidError extends SignetAuthError {
  readonly code = 'KEY_INVALID';
}
/** The algorithm is unknown or not allowed by the verifier's policy. */
export class AlgorithmNotAllowedError extends SignetAuthError {
  readonly code = 'ALGORITHM_NOT_ALLOWED';
}
/** A JWT failed verification (signature, claims, audience, issuer). */
export class TokenInvalidError extends SignetAuthError {
  readonly code = 'TOKEN_INVALID';
}
/** A JWT or Fernet token is past its lifetime. */
export class TokenExpiredError extends SignetAuthError {
  readonly code = 'TOKEN_EXPIRED';
}
/** A Fernet token could not be authenticated or decrypted. */
export class DecryptionFailedError extends SignetAuthError {
  readonly code = 'DECRYPTION_FAILED';
}
/** The replay store could not answer; verification fails closed. */
export class ReplayStoreUnavailableError extends SignetAuthError {
  readonly code = 'REPLAY_STORE_UNAVAILABLE';
}
