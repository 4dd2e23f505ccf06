import { V1Error } from '@signet/server';
import { type AuditActorKind, type AuditResult, listAudit } from '../../store/index.js';
import { operation } from '../operation.js';
import { arrayOf, auditEventSchema, object } from '../schemas.js';
import { auditView } from '../views.js';

const text = (maxLength: number) => ({ type: 'string', minLength: 1, maxLength });
/** An event id: up to 2^53 - 1, which both stores' 64-bit ids stay below. */
const id = { type: 'string', pattern: '^[1-9][0-9]{0,14}$' };

function dateOf(value: unknown, name: string): Date | undefined {
  if (value === undefined) return undefined;
  const date = new Date(String(value));
  if (Number.isNaN(date.getTime())) throw new V1Error(40000, `${name}: expected an ISO 8601 date`);
  return date;
}

export const auditOperations = [
  operation({
    id: 'audit.list',
    tag: 'audit',
    // Who did what is for admins and trusted internal callers, not for every key or service.
    except: ['openapi', 'service'],
    method: 'GET',
    path: '/audit',
    write: false,
    summary:
      "Audit events, newest first: who did what, when, from where, and the result. Page with `before` = the answer's `nextBefore`.",
    query: {
      type: 'object',
      additionalProperties: false,
      properties: {
        actor: text(200),
        actorKind: { enum: ['admin', 'access-key', 'internal', 'service', 'operator', 'anonymous'] },
        action: text(200),
        result: { enum: ['ok', 'denied', 'failed'] },
        since: text(40),
        until: text(40),
        before: id,
        limit: { type: 'string', pattern: '^([1-9][0-9]?|[1-4][0-9]{2}|500)$' },
      },
    },
    data: object({ events: arrayOf(auditEventSchema), nextBefore: { type: ['integer', 'null'] } }),
    run: async ({ query }, _caller, { db }) => {
      const q = query as Record<string, string | undefined>;
      const since = dateOf(q['since'], 'since');
      const until = dateOf(q['until'], 'until');
      const page = await listAudit(db, {
        ...(q['actor'] === undefined ? {} : { actor: q['actor'] }),
        ...(q['actorKind'] === undefined ? {} : { actorKind: q['actorKind'] as AuditActorKind }),
        ...(q['action'] === undefined ? {} : { action: q['action'] }),
        ...(q['result'] === undefined ? {} : { result: q['result'] as AuditResult }),
        ...(since === undefined ? {} : { since }),
        ...(until === undefined ? {} : { until }),
        ...(q['before'] === undefined ? {} : { before: Number(q['before']) }),
        limit: Number(q['limit'] ?? 50),
      });
      return { events: page.events.map(auditView), nextBefore: page.nextBefore };
    },
  }),
];
