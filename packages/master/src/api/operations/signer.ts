import { V1Error } from '@signet/server';
import {
  SIGNER_ACCOUNT_SCHEMA,
  SIGNER_RELOAD_SCHEMA,
  SIGNER_STATUS_SCHEMA,
  SignerCallError,
  type SignerClient,
} from '../../signer-client/index.js';
import { type ApiDeps, operation } from '../operation.js';
import { arrayOf, object } from '../schemas.js';

const nullableStr = { type: ['string', 'null'] };
const nullable = (schema: object) => ({ anyOf: [schema, { type: 'null' }] });

// The console's page: admins only (web); not for access keys, services or internal callers.
const base = { tag: 'signer', except: ['service', 'internal', 'openapi'] } as const;

function configured(deps: ApiDeps): SignerClient {
  if (deps.signer === null)
    throw new V1Error(50300, 'no signer is configured: start signet master with --signer-url URL');
  return deps.signer;
}

export const signerOperations = [
  operation({
    ...base,
    id: 'signer.status',
    method: 'GET',
    path: '/signer',
    write: false,
    summary: "The signing service's status and accounts (never their keys), or why it cannot be read",
    data: object({
      configured: { type: 'boolean' },
      url: nullableStr,
      reachable: { type: 'boolean' },
      error: nullableStr,
      status: nullable(SIGNER_STATUS_SCHEMA),
      accounts: nullable(arrayOf(SIGNER_ACCOUNT_SCHEMA)),
    }),
    run: async (_input, _caller, { signer }) => {
      if (signer === null)
        return { configured: false, url: null, reachable: false, error: null, status: null, accounts: null };
      try {
        const status = await signer.status();
        const accounts = await signer.accounts();
        return { configured: true, url: signer.url, reachable: true, error: null, status, accounts };
      } catch (error) {
        if (!(error instanceof SignerCallError)) throw error;
        return {
          configured: true,
          url: signer.url,
          reachable: false,
          error: (error as Error).message,
          status: null,
          accounts: null,
        };
      }
    },
  }),
  operation({
    ...base,
    id: 'signer.reload',
    method: 'POST',
    path: '/signer/reload',
    write: true,
    summary: 'Make the signing service reload its credentials file; answers what changed',
    data: SIGNER_RELOAD_SCHEMA,
    run: async (_input, _caller, deps) => {
      try {
        return await configured(deps).reload();
      } catch (error) {
        if (!(error instanceof SignerCallError)) throw error;
        throw new V1Error(50200, error.message, { cause: error });
      }
    },
  }),
];
