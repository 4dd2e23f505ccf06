import type { SignerErrorCode } from '../errors.js';

/** The HTTP status of every signer error code (seed 004's table, plus the transport's own). */
export const SIGNER_ERROR_STATUS: Readonly<Record<SignerErrorCode, number>> = {
  ACCOUNT_NOT_FOUND: 404,
  PLATFORM_NOT_SUPPORTED: 400,
  INVALID_DATA_FORMAT: 400,
  SIGNATURE_FAILED: 500,
  CONFIG_LOAD_FAILED: 500,
  ACCOUNT_INACTIVE: 423,
  PAYLOAD_TOO_LARGE: 413,
  UNAUTHORIZED: 401,
  NOT_FOUND: 404,
  FORBIDDEN: 403,
};
