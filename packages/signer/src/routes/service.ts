import type { FastifyInstance } from 'fastify';
import type { AuditLog } from '../audit/audit-log.js';
import type { AccountRegistry } from '../credentials/registry.js';
import { okSchema } from '../http/envelope.js';
import type { UsageStore } from '../usage/usage-store.js';

/** Reload, status and audit: the routes that operate the service itself. */
export async function serviceRoutes(
  app: FastifyInstance,
  {
    registry,
    usage,
    audit,
    startedAt,
  }: { registry: AccountRegistry; usage: UsageStore; audit: AuditLog; startedAt: number },
): Promise<void> {
  app.post(
    '/api/v1/config/reload',
    {
      schema: {
        response: {
          200: okSchema({
            type: 'object',
            properties: {
              reloadedAt: { type: 'string' },
              changes: {
                type: 'object',
                properties: {
                  added: { type: 'integer' },
                  updated: { type: 'integer' },
                  removed: { type: 'integer' },
                },
              },
              accountCount: { type: 'integer' },
              platformCount: { type: 'integer' },
              warnings: { type: 'array', items: { type: 'string' } },
            },
          }),
        },
      },
    },
    async (request) => ({ success: true, data: await registry.reload(request.ip) }),
  );

  app.get(
    '/api/v1/status',
    {
      schema: {
        response: {
          200: okSchema({
            type: 'object',
            properties: {
              status: { enum: ['healthy', 'degraded'] },
              uptime: { type: 'string' },
              config: {
                type: 'object',
                properties: {
                  path: { type: 'string' },
                  lastLoaded: { type: ['string', 'null'] },
                  isWatching: { type: 'boolean' },
                  lastError: { type: ['string', 'null'] },
                },
              },
              accounts: {
                type: 'object',
                properties: {
                  total: { type: 'integer' },
                  byPlatform: { type: 'object', additionalProperties: { type: 'integer' } },
                },
              },
              performance: {
                type: 'object',
                properties: {
                  avgSigningTime: { type: 'string' },
                  p99: { type: 'string' },
                  totalSigns: { type: 'integer' },
                  errorRate: { type: 'number' },
                },
              },
            },
          }),
        },
      },
    },
    async () => {
      const config = registry.status();
      const byPlatform: Record<string, number> = {};
      for (const account of registry.accounts.values())
        byPlatform[account.platformId] = (byPlatform[account.platformId] ?? 0) + 1;
      const performance = usage.performance();
      return {
        success: true,
        data: {
          status: config.lastError === null ? 'healthy' : 'degraded',
          uptime: formatUptime(Date.now() - startedAt),
          config,
          accounts: { total: registry.accounts.size, byPlatform },
          performance: {
            avgSigningTime: `${performance.avgSigningTimeMs.toFixed(3)}ms`,
            p99: `${performance.p99Ms.toFixed(3)}ms`,
            totalSigns: performance.totalSigns,
            errorRate: performance.errorRate,
          },
        },
      };
    },
  );

  app.get(
    '/api/v1/audit',
    {
      schema: {
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            limit: { type: 'string', pattern: '^([1-9][0-9]?|[1-4][0-9]{2}|500)$' },
            before: { type: 'string', pattern: '^[1-9][0-9]{0,15}$' },
            platformId: { type: 'string', maxLength: 128 },
            accountId: { type: 'string', maxLength: 128 },
            result: { type: 'string', maxLength: 64 },
          },
        },
        response: {
          200: okSchema({
            type: 'object',
            properties: {
              entries: { type: 'array', items: { type: 'object', additionalProperties: true } },
              nextBefore: { type: ['integer', 'null'] },
            },
          }),
        },
      },
    },
    async (request) => {
      const { limit, before, ...filters } = request.query as Record<string, string | undefined>;
      const query = {
        ...filters,
        limit: Number(limit ?? 50),
        ...(before === undefined ? {} : { before: Number(before) }),
      };
      return { success: true, data: await audit.query(query) };
    },
  );
}

/** The seed's uptime layout: `72h 15m 30s`. */
export function formatUptime(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  return `${Math.floor(seconds / 3600)}h ${Math.floor((seconds % 3600) / 60)}m ${seconds % 60}s`;
}
