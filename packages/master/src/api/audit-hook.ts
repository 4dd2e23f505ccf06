import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { parseTemAuthorization } from '@signet/auth';
import { type AuditActorKind, type AuditResult, type Database, recordAudit } from '../store/index.js';
import { type Caller, callerOf } from './caller.js';
import type { Family } from './mount.js';
import type { Operation } from './operation.js';
import type { RefusalBudget } from './refusal-budget.js';

const ACTOR_KIND: Readonly<Record<Caller['kind'], AuditActorKind>> = {
  admin: 'admin',
  'access-key': 'access-key',
  service: 'service',
  internal: 'internal',
};

/** ok below 400; denied when authentication or permission failed; failed otherwise. */
export function auditResult(status: number): AuditResult {
  if (status < 400) return 'ok';
  return status === 401 || status === 403 ? 'denied' : 'failed';
}

/**
 * Records every call of an operation in `app`'s family in the audit log: who (the authenticated
 * caller, or the access key a refused request claimed), what (the operation and its target),
 * when, from where, and the result. Reads by a signed-in admin are the console polling and are
 * left out; every write, every refusal and every read by a machine caller is recorded (refusals
 * of unauthenticated callers within a budget per address: `RefusalBudget`).
 */
export function auditOperations(
  app: FastifyInstance,
  family: Family,
  db: Kysely<Database>,
  refusals: RefusalBudget,
): void {
  // Before the answer is sent: a caller that has its answer finds its action in the log.
  app.addHook('onSend', async (request, reply, payload) => {
    const op = request.routeOptions.config.operation;
    if (op === undefined) return payload;
    const caller = callerOf(request.principal);
    const status = reply.statusCode;
    if (!op.write && status < 400 && caller?.kind === 'admin') return payload;
    // Refusals of callers nobody authenticated are within a budget per address.
    const budget = caller === null ? refusals.take(request.ip) : { record: true, skippedBefore: 0 };
    if (!budget.record) return payload;
    const skipped = budget.skippedBefore > 0 ? `; ${budget.skippedBefore} earlier refusals not recorded` : '';
    try {
      await recordAudit(db, {
        actorKind: caller ? ACTOR_KIND[caller.kind] : 'anonymous',
        actor: caller?.name ?? claimedActor(request, family),
        action: op.id,
        target: targetOf(request.params) ?? bodyTarget(op, request.body),
        source: request.ip,
        result: auditResult(status),
        status,
        detail: `${family}${skipped}`,
      });
    } catch (error) {
      request.log.error({ err: { type: (error as Error).name } }, 'the audit event could not be recorded');
    }
    return payload;
  });
}

/** Who a refused request said it was: the access key of a TEM header (never its signature), else unknown. */
function claimedActor(request: FastifyRequest, family: Family): string {
  if (family !== 'openapi') return 'unknown';
  try {
    const { accessKey } = parseTemAuthorization(request.headers.authorization);
    return /^[0-9a-f]{16}$/.test(accessKey) ? accessKey : 'unknown';
  } catch {
    return 'unknown';
  }
}

/** What a create named in its body, when the body was valid enough to say. */
function bodyTarget(op: Operation, body: unknown): string | null {
  if (op.target === undefined || typeof body !== 'object' || body === null) return null;
  try {
    return op.target(body);
  } catch {
    return null;
  }
}

/** The resource a call was about: its path parameters (`id=3`, `email=a@b`). */
function targetOf(params: unknown): string | null {
  if (typeof params !== 'object' || params === null) return null;
  const entries = Object.entries(params as Record<string, unknown>).filter(([, v]) => typeof v === 'string');
  return entries.length === 0 ? null : entries.map(([k, v]) => `${k}=${String(v)}`).join(',');
}
