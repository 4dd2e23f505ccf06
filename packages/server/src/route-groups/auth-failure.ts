import type { FastifyRequest } from 'fastify';
import { type AuthErrorCode, SignetAuthError } from '@signet/auth';
import { V1Error, type V1ErrorCode, v1Status } from './envelope.js';

/**
 * The envelope code of every @signet/auth failure on `/v1` (one table: a new auth code does not
 * compile until it has a row). Seed 001 answers 401 to every failed check, and so do we, with one
 * generic message: a caller cannot tell an unknown key from a bad signature, a stale timestamp or a
 * used nonce. Only failures of the server itself differ: its key material (500) and its replay
 * store (503, failing closed).
 */
export const V1_AUTH_FAILURE: Readonly<Record<AuthErrorCode, V1ErrorCode>> = {
  MALFORMED: 40100,
  SIGNATURE_MISMATCH: 40100,
  TIMESTAMP_INVALID: 40100,
  TIMESTAMP_EXPIRED: 40100,
  NONCE_REPLAYED: 40100,
  REQUEST_REPLAYED: 40100,
  KEY_UNKNOWN: 40100,
  KEY_DISABLED: 40100,
  KEY_INVALID: 50000,
  ALGORITHM_NOT_ALLOWED: 40100,
  TOKEN_INVALID: 40100,
  TOKEN_EXPIRED: 40100,
  DECRYPTION_FAILED: 40100,
  REPLAY_STORE_UNAVAILABLE: 50300,
};

/**
 * Turns a verifier's failure into the generic `/v1` error. The specific code goes to the log only;
 * anything that is not an @signet/auth error is rethrown for the error handler (a 500).
 */
export function refuse(request: FastifyRequest, group: string, error: unknown): never {
  if (!(error instanceof SignetAuthError)) throw error;
  const code = V1_AUTH_FAILURE[error.code];
  const entry = { auth: { group, code: error.code } };
  if (v1Status(code) >= 500) request.log.error(entry, 'authentication could not be completed');
  else request.log.info(entry, 'authentication failed');
  throw new V1Error(code, undefined, { cause: error });
}
