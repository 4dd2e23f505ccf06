import type { FastifyInstance } from 'fastify';
import { SignerError } from '../errors.js';
import { okSchema } from '../http/envelope.js';
import type { SigningService } from '../signing-service.js';
import { signRequestSchema, signResultSchema } from './schemas.js';

/** Most requests in one batch; larger batches are refused whole with 400. */
export const MAX_BATCH = 100;

export function callerOf(request: { ip: string; signetCaller?: string | null }): string {
  return request.signetCaller ?? request.ip;
}

export async function signRoutes(
  app: FastifyInstance,
  { signing }: { signing: SigningService },
): Promise<void> {
  app.post(
    '/api/v1/sign',
    { schema: { body: signRequestSchema, response: { 200: okSchema(signResultSchema) } } },
    async (request) => {
      const body = request.body as {
        platformId: string;
        accountId: string;
        data: unknown;
        requestId?: string;
      };
      return { success: true, data: signing.sign(body, callerOf(request)) };
    },
  );

  app.post(
    '/api/v1/sign/batch',
    {
      schema: {
        body: {
          type: 'object',
          required: ['requests'],
          additionalProperties: false,
          // Items are checked one by one below, so one malformed item fails only itself.
          properties: {
            requests: { type: 'array', minItems: 1, maxItems: MAX_BATCH, items: {} },
          },
        },
        response: {
          200: okSchema({
            type: 'object',
            properties: {
              results: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    ...signResultSchema.properties,
                    requestId: { type: 'string' },
                    status: { enum: ['success', 'error'] },
                    error: {
                      type: 'object',
                      properties: {
                        code: { type: 'string' },
                        message: { type: 'string' },
                        details: { type: 'object', additionalProperties: true },
                      },
                    },
                  },
                },
              },
              summary: {
                type: 'object',
                properties: {
                  total: { type: 'integer' },
                  successful: { type: 'integer' },
                  failed: { type: 'integer' },
                },
              },
            },
          }),
        },
      },
    },
    async (request) => {
      const { requests } = request.body as { requests: unknown[] };
      const caller = callerOf(request);
      const results = requests.map((entry, index) => {
        const item = (
          typeof entry === 'object' && entry !== null && !Array.isArray(entry) ? entry : {}
        ) as Record<string, unknown>;
        const requestId = typeof item.requestId === 'string' ? item.requestId : `item-${index}`;
        try {
          const problem = item === entry ? itemProblem(item) : 'each request must be an object';
          if (problem)
            return {
              requestId,
              status: 'error',
              error: { code: 'INVALID_DATA_FORMAT', message: problem, details: { index } },
            };
          const signed = signing.sign(
            {
              platformId: item.platformId as string,
              accountId: item.accountId as string,
              data: item.data,
              requestId,
            },
            caller,
            'sign.batch',
          );
          return { requestId, status: 'success', ...signed };
        } catch (error) {
          const coded = error instanceof SignerError ? error : undefined;
          return {
            requestId,
            status: 'error',
            error: {
              code: coded?.code ?? 'SIGNATURE_FAILED',
              message: coded?.message ?? 'the signing operation failed',
              details: coded?.details ?? {},
            },
          };
        }
      });
      const failed = results.filter((r) => r.status === 'error').length;
      return {
        success: true,
        data: { results, summary: { total: results.length, successful: results.length - failed, failed } },
      };
    },
  );
}

function itemProblem(item: Record<string, unknown>): string | undefined {
  for (const field of ['platformId', 'accountId'] as const) {
    const value = item[field];
    if (typeof value !== 'string' || value.length === 0 || value.length > 128)
      return `${field} must be a string of 1 to 128 characters`;
  }
  if (
    item.data === null ||
    Array.isArray(item.data) ||
    (typeof item.data !== 'object' && typeof item.data !== 'string')
  )
    return 'data must be an object or a string';
  if (item.requestId !== undefined && (typeof item.requestId !== 'string' || item.requestId.length > 128))
    return 'requestId must be a string';
  return undefined;
}
