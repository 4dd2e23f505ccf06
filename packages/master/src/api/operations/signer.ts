import { V1Error } from '@signet/server';
import type { SignerClient } from '../../signer-client.js';
import { type ApiDeps, operation } from '../operation.js';
import { arrayOf, object } from '../schemas.js';

const str = { type: 'string' };
const nullableStr = { type: ['string', 'null'] };
const int = { type: 'integer' };

// The signing service's own answers (seed 004), passed through field by field: a field the signer
// adds later is dropped here rather than shown unreviewed.
const signerStatusSchema = object({
  status: str,
  uptime: str,
  config: object({
    path: str,
    lastLoaded: nullableStr,
    isWatching: { type: 'boolean' },
    lastError: nullableStr,
  }),
  accounts: object({ total: int, byPlatform: { type: 'object', additionalProperties: int } }),
  performance: object({ avgSigningTime: str, p99: str, totalSigns: int, errorRate: { type: 'number' } }),
});
const signerAccountSchema = object(
  {
    accountId: str,
    platformId: str,
    alias: nullableStr,
    status: str,
    environment: nullableStr,
    usage: object({ totalSigns: int, lastSignAt: nullableStr, errorCount: int }),
  },
  ['accountId', 'platformId', 'status'],
);

const base = { tag: 'signer', except: ['service'] } as const;

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
      status: { anyOf: [signerStatusSchema, { type: 'null' }] },
      accounts: { anyOf: [arrayOf(signerAccountSchema), { type: 'null' }] },
    }),
    run: async (_input, _caller, { signer }) => {
      if (signer === null)
        return { configured: false, url: null, reachable: false, error: null, status: null, accounts: null };
      try {
        const [status, accounts] = await Promise.all([signer.status(), signer.accounts()]);
        return { configured: true, url: signer.url, reachable: true, error: null, status, accounts };
      } catch (error) {
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
    data: object({
      reloadedAt: str,
      changes: object({ added: int, updated: int, removed: int }),
      accountCount: int,
      platformCount: int,
      warnings: arrayOf(str),
    }),
    run: async (_input, _caller, deps) => {
      try {
        return await configured(deps).reload();
      } catch (error) {
        if (error instanceof V1Error) throw error;
        throw new V1Error(50200, (error as Error).message, { cause: error });
      }
    },
  }),
];
