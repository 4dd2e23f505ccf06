import type { FastifyInstance } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import { V1Error } from '@signet/server';
import { callerOf } from './caller.js';
import type { Family } from './mount.js';

/**
 * Calls per minute per authenticated caller (an admin, a key, a service, the internal key) in one
 * family, in this process. Counted after authentication (`preHandler`), so a stranger cannot use up
 * anybody's allowance; refusals before it are bounded by the audit log's refusal budget instead.
 */
export async function limitCalls(scope: FastifyInstance, family: Family, perMinute: number): Promise<void> {
  await scope.register(rateLimit, {
    hook: 'preHandler',
    max: perMinute,
    timeWindow: 60_000,
    cache: 100_000,
    keyGenerator: (request) => {
      const caller = callerOf(request.principal);
      return caller ? `${family}:${caller.kind}:${caller.name}` : `${family}:address:${request.ip}`;
    },
    errorResponseBuilder: (_request, context) =>
      new V1Error(42900, `too many requests: at most ${context.max} a minute for this caller`),
  });
}
