/**
 * The store's error codes, one class each. Messages name the argument or the rule that failed and
 * never contain secrets, tokens or connection strings; `details` carries ids a caller may log.
 */
export const STORE_ERROR_CODES = Object.freeze([
  'STORE_OPTIONS_INVALID',
  'STORE_MIGRATION_FAILED',
  'NODE_NOT_FOUND',
  'NODE_NAME_INVALID',
  'NODE_NAME_TAKEN',
  'NODE_SETTINGS_INVALID',
  'HEARTBEAT_INVALID',
  'USER_EMAIL_INVALID',
  'USER_EMAIL_TAKEN',
  'TRAFFIC_REPORT_INVALID',
  'TRAFFIC_COUNTER_DECREASED',
] as const);

export type StoreErrorCode = (typeof STORE_ERROR_CODES)[number];

export abstract class StoreError extends Error {
  abstract readonly code: StoreErrorCode;
  constructor(
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** `openDatabase` was given options it cannot use (the message never repeats a connection string). */
export class StoreOptionsInvalidError extends StoreError {
  readonly code = 'STORE_OPTIONS_INVALID';
}
/** The schema migrations did not complete; the cause is kept. */
export class StoreMigrationFailedError extends StoreError {
  readonly code = 'STORE_MIGRATION_FAILED';
}
/** No node has that id. */
export class NodeNotFoundError extends StoreError {
  readonly code = 'NODE_NOT_FOUND';
}
/** A node name is empty, too long or uses characters outside `[A-Za-z0-9._-]`. */
export class NodeNameInvalidError extends StoreError {
  readonly code = 'NODE_NAME_INVALID';
}
/** Another node already has that name. */
export class NodeNameTakenError extends StoreError {
  readonly code = 'NODE_NAME_TAKEN';
}
/** A node setting is unknown or out of range. */
export class NodeSettingsInvalidError extends StoreError {
  readonly code = 'NODE_SETTINGS_INVALID';
}
/** A heartbeat field has the wrong type or size. */
export class HeartbeatInvalidError extends StoreError {
  readonly code = 'HEARTBEAT_INVALID';
}
/** A proxy user's email is not a plain `local@domain` address. */
export class UserEmailInvalidError extends StoreError {
  readonly code = 'USER_EMAIL_INVALID';
}
/** A proxy user with that email (or id) already exists. */
export class UserEmailTakenError extends StoreError {
  readonly code = 'USER_EMAIL_TAKEN';
}
/** A traffic report is malformed: boot id, sequence number or a counter. Nothing was changed. */
export class TrafficReportInvalidError extends StoreError {
  readonly code = 'TRAFFIC_REPORT_INVALID';
}
/** A cumulative counter went backwards within one boot id. Nothing was changed. */
export class TrafficCounterDecreasedError extends StoreError {
  readonly code = 'TRAFFIC_COUNTER_DECREASED';
}
