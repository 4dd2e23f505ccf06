import type { ConfigErrorCode } from '../xray-config/index.js';
import type { StoreErrorCode } from '../store/index.js';

/**
 * The HTTP status of every store and config-generation error code, answered as `{"error": …}` on
 * the node API (one table: a new code does not compile until it has a row).
 */
export const MASTER_ERROR_STATUS: Readonly<Record<StoreErrorCode | ConfigErrorCode, number>> = {
  STORE_OPTIONS_INVALID: 500,
  STORE_MIGRATION_FAILED: 500,
  NODE_NOT_FOUND: 404,
  NODE_NAME_INVALID: 400,
  NODE_NAME_TAKEN: 400,
  NODE_SETTINGS_INVALID: 400,
  HEARTBEAT_INVALID: 400,
  USER_EMAIL_INVALID: 400,
  USER_EMAIL_TAKEN: 400,
  TRAFFIC_REPORT_INVALID: 400,
  TRAFFIC_COUNTER_DECREASED: 400,
  ADMIN_NAME_INVALID: 400,
  ADMIN_NAME_TAKEN: 400, // as NODE_NAME_TAKEN and USER_EMAIL_TAKEN
  ADMIN_NOT_FOUND: 404,
  PASSWORD_INVALID: 400,
  ACCESS_KEY_INVALID: 400,
  ACCESS_KEY_NOT_FOUND: 404,
  AUDIT_EVENT_INVALID: 400,
  SERVICE_NAME_INVALID: 400,
  NODE_SECRET_ROTATION_CONFLICT: 409,
  CONFIG_INPUT_INVALID: 500,
  MAX_USERS_EXCEEDED: 500,
};
