import type { FastifyInstance, FastifyRequest } from 'fastify';
import { V1Error } from '@signet/server';
import { callerOf } from './caller.js';
import { toApiError } from './errors.js';
import type { ApiDeps, Operation } from './operation.js';
import { OPERATIONS } from './operations/index.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The API table row a route serves (read by the audit hook). */
    operation?: Operation;
  }
}

/** A route family: which group of `/v1`, or the AK/SK OpenAPI at `/api/v1`. */
export type Family = 'web' | 'service' | 'internal' | 'openapi';

/** How a family wraps an operation's data, and the response schema of that wrapping. */
export interface Envelope {
  readonly ok: (data: unknown) => object;
  readonly schema: (data: object) => object;
}

const READ_ONLY =
  'this key or token is read-only: changing state or reading credentials needs a read-write one';

/**
 * Serves every operation of the API table that the family has, in `app` (a context that has
 * already authenticated the caller). Write operations are refused to read-only callers before
 * their input is even validated.
 */
export function mountOperations(
  app: FastifyInstance,
  family: Family,
  envelope: Envelope,
  deps: ApiDeps,
): void {
  for (const op of OPERATIONS) {
    if (op.except?.includes(family)) continue;
    app.route({
      method: op.method,
      url: op.path,
      config: { operation: op },
      schema: {
        ...(op.params ? { params: op.params } : {}),
        ...(op.query ? { querystring: op.query } : {}),
        ...(op.body ? { body: op.body } : {}),
        response: { 200: envelope.schema(op.data) },
      },
      preValidation: async (request) => {
        const caller = callerOf(request.principal);
        if (caller === null) throw new V1Error(40100);
        if ((op.write || op.credentials === true) && !caller.canWrite) throw new V1Error(40300, READ_ONLY);
      },
      handler: async (request) => {
        const caller = callerOf(request.principal);
        if (caller === null) throw new V1Error(40100);
        try {
          return envelope.ok(await op.run(inputOf(request), caller, deps));
        } catch (error) {
          throw toApiError(error);
        }
      },
    });
  }
}

function inputOf(request: FastifyRequest) {
  return {
    params: (request.params ?? {}) as Record<string, string>,
    query: (request.query ?? {}) as Record<string, unknown>,
    body: request.body,
    origin: `${request.protocol}://${request.host}`,
  };
}
