/**
 * credentials.json, the signer's account file (documented in the README):
 *
 * { "version": 1,
 *   "accounts": [ { "platformId": "okx", "accountId": "okx-perp-001", "alias": "…",
 *                   "status": "active", "environment": "production", "keyType": "hmac",
 *                   "createdAt": "2025-09-01T10:00:00Z",
 *                   "secrets": { "apiKey": "<Fernet token>", "apiSecret": "<Fernet token>",
 *                                "passphrase": { "plaintext": "…" } } } ] }
 *
 * A secret is a Fernet token under ENCRYPTION_KEY (what `signet signer credentials add` writes), or
 * `{ "plaintext": "…" }`, accepted with a warning.
 */
export interface CredentialsFile {
  readonly version: 1;
  readonly accounts: readonly AccountEntry[];
}

export type SecretEntry = string | { readonly plaintext: string };

export interface AccountEntry {
  readonly platformId: string;
  readonly accountId: string;
  readonly alias?: string;
  readonly status: 'active' | 'inactive';
  readonly environment?: string;
  readonly keyType?: string;
  readonly createdAt?: string;
  readonly secrets: Readonly<Record<string, SecretEntry>>;
}

const ID = '^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$';

export const credentialsSchema = {
  type: 'object',
  required: ['version', 'accounts'],
  additionalProperties: false,
  properties: {
    version: { const: 1 },
    accounts: {
      type: 'array',
      maxItems: 10_000,
      items: {
        type: 'object',
        required: ['platformId', 'accountId', 'status', 'secrets'],
        additionalProperties: false,
        properties: {
          platformId: { type: 'string', pattern: ID },
          accountId: { type: 'string', pattern: ID },
          alias: { type: 'string', maxLength: 256 },
          status: { enum: ['active', 'inactive'] },
          environment: { type: 'string', maxLength: 64 },
          keyType: { type: 'string', maxLength: 32 },
          createdAt: { type: 'string', format: 'date-time' },
          secrets: {
            type: 'object',
            maxProperties: 16,
            additionalProperties: {
              oneOf: [
                { type: 'string', minLength: 1, maxLength: 65_536 },
                {
                  type: 'object',
                  required: ['plaintext'],
                  additionalProperties: false,
                  properties: { plaintext: { type: 'string', minLength: 1, maxLength: 65_536 } },
                },
              ],
            },
          },
        },
      },
    },
  },
} as const;
