// The master's store: an explicit list of what the rest of the master may use.
export { openDatabase, SQLITE_FILE_NAME, type OpenDatabaseOptions } from './database.js';
export type { Database } from './schema.js';
export {
  STORE_ERROR_CODES,
  StoreError,
  StoreOptionsInvalidError,
  StoreMigrationFailedError,
  NodeNotFoundError,
  NodeNameInvalidError,
  NodeNameTakenError,
  NodeSettingsInvalidError,
  HeartbeatInvalidError,
  UserEmailInvalidError,
  UserEmailTakenError,
  TrafficReportInvalidError,
  TrafficCounterDecreasedError,
  AdminNameInvalidError,
  AdminNameTakenError,
  AdminNotFoundError,
  PasswordInvalidError,
  AccessKeyInvalidError,
  AccessKeyNotFoundError,
  AuditEventInvalidError,
  ServiceNameInvalidError,
  NodeSecretRotationConflictError,
  type StoreErrorCode,
} from './errors.js';
export {
  DEFAULT_NODE_SETTINGS,
  MAX_USERS_LIMIT,
  mergeNodeSettings,
  seedNodeConfig,
  type NodeSettings,
  type NodeSettingsInput,
} from './settings.js';
export {
  DEFAULT_TOKEN_TTL_MS,
  DEFAULT_HEARTBEAT_INTERVAL_MS,
  ONLINE_HEARTBEAT_INTERVALS,
  createNode,
  issueRegistrationToken,
  redeemToken,
  getNode,
  getNodeByName,
  listNodes,
  updateSettings,
  recordHeartbeat,
  deleteNode,
  setNodeTlsPin,
  flagTlsMismatch,
  isNodeOnline,
  type NodeRecord,
  type NodeReadOptions,
  type TokenOptions,
  type RegistrationToken,
  type Heartbeat,
} from './nodes.js'; // with registration-tokens.ts and heartbeat.ts
export {
  setApiSecret,
  getApiSecret,
  readNodeSecrets,
  beginSecretRotation,
  confirmSecretRotation,
  newApiSecret,
  type NodeSecrets,
  type NextSecret,
  type RotationOptions,
} from './node-secrets.js';
export {
  addUser,
  removeUser,
  setUserEnabled,
  getUser,
  listUsers,
  isValidUserEmail,
  type ProxyUser,
  type AddUserOptions,
} from './users.js';
export {
  applyTrafficReport,
  trafficTotals,
  type TrafficCounters,
  type TrafficReport,
  type TrafficTotal,
} from './traffic.js';
export { reEncryptStore, type ReEncryptCounts } from './re-encrypt.js';
export {
  trafficHistory,
  pruneTrafficHistory,
  bucketStart,
  TRAFFIC_RESOLUTIONS,
  type TrafficBucket,
  type TrafficResolution,
} from './traffic-history.js';
export { hashPassword, verifyPassword } from './lib/password.js';
export {
  createAdmin,
  listAdmins,
  getAdmin,
  getAdminById,
  countAdmins,
  deleteAdmin,
  setAdminPassword,
  endAdminSessions,
  unlockAdmin,
  verifyAdminLogin,
  type AdminAccount,
  type AdminLoginOptions,
  type AdminLoginResult,
} from './admins.js'; // with admin-account.ts and admin-login.ts
export { ACCESS_KEY_SCOPES } from './access-key-record.js';
export {
  createAccessKey,
  listAccessKeys,
  getAccessKey,
  resolveAccessKey,
  setAccessKeyEnabled,
  deleteAccessKey,
  rotateAccessKey,
  recordAccessKeyUse,
  type AccessKeyRecord,
  type AccessKeyScope,
  type CreateAccessKeyInput,
} from './access-keys.js'; // with access-key-record.ts and access-key-secrets.ts
export {
  recordAudit,
  listAudit,
  pruneAudit,
  type AuditActorKind,
  type AuditResult,
  type AuditEvent,
  type AuditEventInput,
  type AuditQuery,
} from './audit.js';
export { loadJwtKeys, rotateJwtKey, type JwtSigningKeys } from './jwt-keys.js';
export {
  upsertService,
  getService,
  listServices,
  deleteService,
  revokeServiceTokens,
  type ServiceAccount,
} from './services.js';
