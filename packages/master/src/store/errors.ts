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
  'ADMIN_NAME_INVALID',
  'ADMIN_NAME_TAKEN',
  'ADMIN_NOT_FOUND',
  'PASSWORD_INVALID',
  'ACCESS_KEY_INVALID',
  'ACCESS_KEY_NOT_FOUND',
  'AUDIT_EVENT_INVALID',
  'SERVICE_NAME_INVALID',
  'NODE_SECRET_ROTATION_CONFLICT',
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
/** An admin name is empty, too long or uses characters outside `[A-Za-z0-9._@-]`. */
export class AdminNameInvalidError extends StoreError {
  readonly code = 'ADMIN_NAME_INVALID';
}
/** Another admin already has that name. */
export class AdminNameTakenError extends StoreError {
  readonly code = 'ADMIN_NAME_TAKEN';
}
/** No admin has that name or id. */
export class AdminNotFoundError extends StoreError {
  readonly code = 'ADMIN_NOT_FOUND';
}
/** A new password breaks the length rule (the message states the rule, never the password). */
export class PasswordInvalidError extends StoreError {
  readonly code = 'PASSWORD_INVALID';
}
/** An access key's algorithm, scope, owner id or description is unusable. */
export class AccessKeyInvalidError extends StoreError {
  readonly code = 'ACCESS_KEY_INVALID';
}
/** No access key has that AK. */
export class AccessKeyNotFoundError extends StoreError {
  readonly code = 'ACCESS_KEY_NOT_FOUND';
}
/** An audit event or an audit query has an unknown actor kind or result, or a field of the wrong type. */
export class AuditEventInvalidError extends StoreError {
  readonly code = 'AUDIT_EVENT_INVALID';
}
/** A service name is empty, too long or uses characters outside `[A-Za-z0-9._-]`. */
export class ServiceNameInvalidError extends StoreError {
  readonly code = 'SERVICE_NAME_INVALID';
}
/** A node's secret cannot be rotated now: it has not registered, or a rotation is still pending. */
export class NodeSecretRotationConflictError extends StoreError {
  readonly code = 'NODE_SECRET_ROTATION_CONFLICT';
}
