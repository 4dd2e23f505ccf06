// The public API: an explicit list.
export {
  loadEncryptionKeys,
  ENCRYPTION_KEY_FILE,
  type LoadEncryptionKeysOptions,
  type EncryptionKeys,
  type EncryptionKeySource,
} from './config/encryption-key.js';
export { AUTH_ERROR_STATUS } from './http/auth-error-status.js';
