import type { AuthErrorCode } from '@signet/auth';

/**
 * The HTTP status of every @signet/auth error code, in one table (a Record, so a new code does not
 * compile until it has a row). These follow the seeds: 400 for a malformed request or a bad or
 * stale timestamp (seed 002), 401 for every failed credential (seeds 000, 001, 003). A route group
 * may answer 401 for all of them where its seed says so (seed 001's /v1 groups).
 */
export const AUTH_ERROR_STATUS: Readonly<Record<AuthErrorCode, number>> = {
  MALFORMED: 400,
  SIGNATURE_MISMATCH: 401,
  TIMESTAMP_INVALID: 400,
  TIMESTAMP_EXPIRED: 400,
  NONCE_REPLAYED: 401,
  REQUEST_REPLAYED: 401,
  KEY_UNKNOWN: 401,
  KEY_DISABLED: 401,
  KEY_INVALID: 500,
  ALGORITHM_NOT_ALLOWED: 401,
  TOKEN_INVALID: 401,
  TOKEN_EXPIRED: 401,
  DECRYPTION_FAILED: 400,
  REPLAY_STORE_UNAVAILABLE: 503,
};
