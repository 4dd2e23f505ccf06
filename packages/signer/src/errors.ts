/**
 * The signing service's error codes (seed 004), one class each. The HTTP status of each is in
 * http/error-status.ts; messages never contain key material.
 */
export const SIGNER_ERROR_CODES = [
  'ACCOUNT_NOT_FOUND',
  'PLATFORM_NOT_SUPPORTED',
  'INVALID_DATA_FORMAT',
  'SIGNATURE_FAILED',
  'CONFIG_LOAD_FAILED',
  'ACCOUNT_INACTIVE',
  'PAYLOAD_TOO_LARGE',
  'UNAUTHORIZED',
  'NOT_FOUND',
  'FORBIDDEN',
] as const;

export type SignerErrorCode = (typeof SIGNER_ERROR_CODES)[number];

export abstract class SignerError extends Error {
  abstract readonly code: SignerErrorCode;
  constructor(
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class AccountNotFoundError extends SignerError {
  readonly code = 'ACCOUNT_NOT_FOUND';
}
export class PlatformNotSupportedError extends SignerError {
  readonly code = 'PLATFORM_NOT_SUPPORTED';
}
export class InvalidDataFormatError extends SignerError {
  readonly code = 'INVALID_DATA_FORMAT';
}
export class SignatureFailedError extends SignerError {
  readonly code = 'SIGNATURE_FAILED';
}
export class ConfigLoadFailedError extends SignerError {
  readonly code = 'CONFIG_LOAD_FAILED';
}
export class AccountInactiveError extends SignerError {
  readonly code = 'ACCOUNT_INACTIVE';
}
export class PayloadTooLargeError extends SignerError {
  readonly code = 'PAYLOAD_TOO_LARGE';
}
export class UnauthorizedError extends SignerError {
  readonly code = 'UNAUTHORIZED';
}
export class NotFoundError extends SignerError {
  readonly code = 'NOT_FOUND';
}
export class ForbiddenError extends SignerError {
  readonly code = 'FORBIDDEN';
}
