export { SignerClient, SignerCallError, type SignerClientOptions } from './signer-client.js';
export { SIGNER_ACCOUNT_SCHEMA, SIGNER_RELOAD_SCHEMA, SIGNER_STATUS_SCHEMA } from './answers.js';
