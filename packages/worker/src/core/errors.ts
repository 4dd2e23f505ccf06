/**
 * The core layer's errors: one base class and one class per stable code. Messages carry the core's
 * own words (its config error, its last output lines) but never a secret of the worker.
 */

export const CORE_ERROR_CODES = Object.freeze([
  'CORE_NOT_FOUND',
  'CORE_CONFIG_INVALID',
  'CORE_START_FAILED',
  'CORE_API_FAILED',
] as const);

export type CoreErrorCode = (typeof CORE_ERROR_CODES)[number];

export abstract class CoreError extends Error {
  abstract readonly code: CoreErrorCode;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** No xray or v2ray binary was found, or its version output is not one of a known flavour. */
export class CoreNotFoundError extends CoreError {
  readonly code = 'CORE_NOT_FOUND';
}

/** The config is not a JSON object, or the core's own test command refused it. Nothing was changed. */
export class CoreConfigInvalidError extends CoreError {
  readonly code = 'CORE_CONFIG_INVALID';
}

/**
 * The core exited or its API did not answer after a start. `rolledBack` tells whether the last good
 * config was started again; `output` holds the core's last lines.
 */
export class CoreStartFailedError extends CoreError {
  readonly code = 'CORE_START_FAILED';
  readonly rolledBack: boolean;
  readonly output: readonly string[];
  constructor(
    message: string,
    details: { rolledBack?: boolean; output?: readonly string[]; cause?: unknown } = {},
  ) {
    super(message, { cause: details.cause });
    this.rolledBack = details.rolledBack ?? false;
    this.output = details.output ?? [];
  }
}

/** A gRPC call to the core's API failed; `grpcStatus` is the gRPC status name (`UNAVAILABLE`, …). */
export class CoreApiError extends CoreError {
  readonly code = 'CORE_API_FAILED';
  readonly grpcStatus: string;
  constructor(message: string, grpcStatus: string, options?: { cause?: unknown }) {
    super(message, options);
    this.grpcStatus = grpcStatus;
  }
}
