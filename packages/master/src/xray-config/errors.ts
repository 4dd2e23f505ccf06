/** Config generation's error codes, one class each; messages carry no user ids or secrets. */
export const CONFIG_ERROR_CODES = Object.freeze(['CONFIG_INPUT_INVALID', 'MAX_USERS_EXCEEDED'] as const);

export type ConfigErrorCode = (typeof CONFIG_ERROR_CODES)[number];

export abstract class ConfigError extends Error {
  abstract readonly code: ConfigErrorCode;
  constructor(
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A node, user or option cannot make a valid core config (named in the message). */
export class ConfigInputInvalidError extends ConfigError {
  readonly code = 'CONFIG_INPUT_INVALID';
}
/** More enabled users than the node's `max_users`; no config is produced. */
export class MaxUsersExceededError extends ConfigError {
  readonly code = 'MAX_USERS_EXCEEDED';
}
