// The public API: an explicit list.
export { createSigner, type Signer, type SignerOptions } from './app.js';
export { SIGNER_ERROR_CODES, type SignerErrorCode } from './errors.js';
export { SIGNER_ERROR_STATUS } from './http/error-status.js';
export { MAX_BATCH } from './routes/sign.js';
export type { CredentialsFile, AccountEntry, SecretEntry } from './credentials/format.js';
export { loadCredentials as validateCredentialsFile } from './credentials/load.js';
