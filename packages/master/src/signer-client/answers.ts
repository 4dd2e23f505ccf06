import { Ajv } from 'ajv';

// The signing service's answers (seed 004) that the master passes on, field by field. Checked on
// arrival: an answer of another shape is the signer's failure, not the master's, and a field the
// signer adds later (or should never send) is dropped rather than shown unreviewed.

const str = { type: 'string' };
const nullableStr = { type: ['string', 'null'] };
const int = { type: 'integer' };
const object = (properties: Record<string, object>, required = Object.keys(properties)) => ({
  type: 'object',
  additionalProperties: false,
  required,
  properties,
});

export const SIGNER_STATUS_SCHEMA = object({
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

export const SIGNER_ACCOUNT_SCHEMA = object(
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

export const SIGNER_ACCOUNTS_SCHEMA = object({ accounts: { type: 'array', items: SIGNER_ACCOUNT_SCHEMA } }, [
  'accounts',
]);

export const SIGNER_RELOAD_SCHEMA = object({
  reloadedAt: str,
  changes: object({ added: int, updated: int, removed: int }),
  accountCount: int,
  platformCount: int,
  warnings: { type: 'array', items: str },
});

// Compiled on first use (most processes never call the signer). removeAdditional: undeclared
// fields of the closed objects above are dropped.
let ajv: Ajv | undefined;
const lazyCheck = (schema: object) => {
  let check: ((value: unknown) => boolean) | undefined;
  return (value: unknown) =>
    (check ??= (ajv ??= new Ajv({ removeAdditional: true, coerceTypes: false })).compile(schema))(value);
};
export const checkStatus = lazyCheck(SIGNER_STATUS_SCHEMA);
export const checkAccounts = lazyCheck(SIGNER_ACCOUNTS_SCHEMA);
export const checkReload = lazyCheck(SIGNER_RELOAD_SCHEMA);
