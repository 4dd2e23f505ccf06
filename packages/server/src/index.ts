// The public API: an explicit list.
export {
  loadEncryptionKeys,
  ENCRYPTION_KEY_FILE,
  type LoadEncryptionKeysOptions,
  type EncryptionKeys,
  type EncryptionKeySource,
} from './config/encryption-key.js';
export { AUTH_ERROR_STATUS } from './http/auth-error-status.js';
export { apiSecretKeys, maxRequestAgeSeconds } from './config/api-secret.js';
export { openReplayStore, type ReplayStoreHandle } from './config/replay-store.js';
export { rawJsonBody, InvalidJsonBodyError } from './fastify/raw-json-body.js';
export { dataTsAuth, type DataTsAuthOptions } from './fastify/data-ts-auth.js';
export { writeFileAtomic } from './files/atomic-write.js';
export {
  checkSecretFileMode,
  SecretFileExposedError,
  REFUSE_LOOSE_SECRET_FILES,
  type SecretFilePolicy,
} from './files/secret-file.js';
export { loopbackHostOnly } from './fastify/loopback-host.js';
export { httpsOption, reloadTlsOnChange } from './fastify/https.js';
export {
  loadTlsFiles,
  watchTlsFiles,
  TlsFilesInvalidError,
  type TlsFilePaths,
  type TlsPair,
  type TlsWatchOptions,
  type SecureContextTarget,
} from './tls/tls-files.js';
export { certificateFingerprint, parseFingerprint } from './tls/fingerprint.js';
export { pinnedFetch, pinMismatchOf, CertificatePinMismatchError } from './tls/pinned-fetch.js';
export {
  V1_OK,
  V1_ERRORS,
  V1_ERROR_CODES,
  V1_AUTH_FAILURE,
  V1Error,
  v1Error,
  v1Ok,
  v1Failure,
  v1ResponseSchema,
  v1CodeForStatus,
  RouteGroupOptionsError,
  internalAuth,
  jwtAuth,
  v1PathGuard,
  v1FrameworkErrors,
  registerRouteGroups,
  type V1ErrorCode,
  type V1Envelope,
  type Principal,
  type JwtClaims,
  type InternalAuthOptions,
  type JwtAuthOptions,
  type RouteGroupsOptions,
  type GroupRoutes,
} from './route-groups/index.js';
export {
  pathGuard,
  frameworkErrorsFor,
  isAbnormalPath,
  isUnderPrefix,
  type PrefixEnvelope,
} from './route-groups/path-guard.js';
export {
  temOk,
  temFailure,
  temResponseSchema,
  TEM_FAILURE_SCHEMA,
  temAuth,
  temErrorHandler,
  temNotFound,
  requireScope,
  principalScopes,
  registerOpenApi,
  L0_DISABLED_MESSAGE,
  type TemEnvelope,
  type TemAuthOptions,
  type TemResolvedKey,
  type OpenApiOptions,
} from './openapi/index.js';
