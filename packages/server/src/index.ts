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
export { loopbackHostOnly } from './fastify/loopback-host.js';
