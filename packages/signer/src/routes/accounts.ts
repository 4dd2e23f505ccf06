import type { FastifyInstance } from 'fastify';
import type { AccountRegistry } from '../credentials/registry.js';
import { accountKey, type LoadedAccount } from '../credentials/load.js';
import { AccountNotFoundError } from '../errors.js';
import { okSchema } from '../http/envelope.js';
import type { UsageStore } from '../usage/usage-store.js';
import { accountSummarySchema, usageSchema } from './schemas.js';

export async function accountRoutes(
  app: FastifyInstance,
  { registry, usage }: { registry: AccountRegistry; usage: UsageStore },
): Promise<void> {
  const summary = (account: LoadedAccount) => ({
    accountId: account.accountId,
    platformId: account.platformId,
    alias: account.alias,
    status: account.status,
    environment: account.environment,
    usage: usage.usage(accountKey(account.platformId, account.accountId)),
  });

  app.get(
    '/api/v1/accounts',
    {
      schema: {
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { platform: { type: 'string', maxLength: 128 } },
        },
        response: {
          200: okSchema({
            type: 'object',
            properties: {
              accounts: { type: 'array', items: accountSummarySchema },
              total: { type: 'integer' },
            },
          }),
        },
      },
    },
    async (request) => {
      const { platform } = request.query as { platform?: string };
      const accounts = [...registry.accounts.values()]
        .filter((a) => platform === undefined || a.platformId === platform)
        .map(summary);
      return { success: true, data: { accounts, total: accounts.length } };
    },
  );

  app.get(
    '/api/v1/accounts/:platformId/:accountId',
    {
      schema: {
        params: {
          type: 'object',
          required: ['platformId', 'accountId'],
          properties: {
            platformId: { type: 'string', maxLength: 128 },
            accountId: { type: 'string', maxLength: 128 },
          },
        },
        response: {
          200: okSchema({
            type: 'object',
            properties: {
              ...accountSummarySchema.properties,
              algorithm: { type: 'string' },
              publicKey: { type: ['string', 'null'] },
              createdAt: { type: ['string', 'null'] },
              lastUsed: { type: ['string', 'null'] },
              usage: usageSchema,
            },
          }),
        },
      },
    },
    async (request) => {
      const { platformId, accountId } = request.params as { platformId: string; accountId: string };
      const account = registry.accounts.get(accountKey(platformId, accountId));
      if (!account) throw new AccountNotFoundError('the account does not exist', { platformId, accountId });
      const base = summary(account);
      return {
        success: true,
        data: {
          ...base,
          algorithm: account.key.algorithm,
          publicKey: account.key.publicKey,
          createdAt: account.createdAt,
          lastUsed: base.usage.lastSignAt,
        },
      };
    },
  );
}
