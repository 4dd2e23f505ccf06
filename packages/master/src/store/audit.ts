import { sql, type Kysely, type Selectable } from 'kysely';
import { AuditEventInvalidError } from './errors.js';
import { readNumber } from './lib/integers.js';
import type { AuditEventsTable, Database } from './schema.js';

// The audit log: who did what, when, from where, and how it ended, for every admin, OpenAPI and
// internal action.

export type AuditActorKind = 'admin' | 'access-key' | 'internal' | 'service' | 'operator' | 'anonymous';
export type AuditResult = 'ok' | 'denied' | 'failed';

export interface AuditEvent {
  readonly id: number;
  readonly at: Date;
  readonly actorKind: AuditActorKind;
  readonly actor: string;
  readonly action: string;
  readonly target: string | null;
  /** Where the request came from (an IP address). */
  readonly source: string | null;
  readonly result: AuditResult;
  /** The HTTP status answered, if any. */
  readonly status: number | null;
  readonly detail: string | null;
}

export interface AuditEventInput {
  actorKind: AuditActorKind;
  actor: string;
  action: string;
  target?: string | null;
  source?: string | null;
  result: AuditResult;
  status?: number | null;
  detail?: string | null;
  at?: Date;
}

export interface AuditQuery {
  actor?: string;
  actorKind?: AuditActorKind;
  /** Exact, or a prefix when it ends with '*' ('node.*'). */
  action?: string;
  result?: AuditResult;
  /** Inclusive. */
  since?: Date;
  /** Exclusive. */
  until?: Date;
  /** Only events with a smaller id: the `nextBefore` of the previous page. */
  before?: number;
  /** 1 to 500, default 50. */
  limit?: number;
}

const ACTOR_KINDS: readonly string[] = [
  'admin',
  'access-key',
  'internal',
  'service',
  'operator',
  'anonymous',
];
const RESULTS: readonly string[] = ['ok', 'denied', 'failed'];
const MAX = { actor: 200, action: 200, target: 200, source: 64, detail: 2000 } as const;

/**
 * Appends an event; long fields are cut to their limits (actor, action, target 200 characters,
 * source 64, detail 2000) rather than refused, so that an action is never left unrecorded.
 *
 * @throws {AuditEventInvalidError} for an unknown actor kind or result, or a field of the wrong type.
 */
export async function recordAudit(db: Kysely<Database>, event: AuditEventInput): Promise<void> {
  if (typeof event !== 'object' || event === null) throw invalid('event: expected an object');
  if (!ACTOR_KINDS.includes(event.actorKind)) throw invalid('actorKind: unknown actor kind');
  if (!RESULTS.includes(event.result)) throw invalid("result: expected 'ok', 'denied' or 'failed'");
  const status = event.status ?? null;
  if (status !== null && !(Number.isInteger(status) && status >= 100 && status <= 999))
    throw invalid('status: expected an HTTP status code or null');
  await db
    .insertInto('audit_events')
    .values({
      at: (event.at ?? new Date()).getTime(),
      actor_kind: event.actorKind,
      actor: cut(event.actor, MAX.actor, 'actor'),
      action: cut(event.action, MAX.action, 'action'),
      target: cutOptional(event.target, MAX.target, 'target'),
      source: cutOptional(event.source, MAX.source, 'source'),
      result: event.result,
      status,
      detail: cutOptional(event.detail, MAX.detail, 'detail'),
    })
    .execute();
}

/**
 * Events newest first (by id), filtered; `nextBefore` is the `before` of the next page, null on the
 * last one.
 *
 * @throws {AuditEventInvalidError} for an unusable query field.
 */
export async function listAudit(
  db: Kysely<Database>,
  query: AuditQuery = {},
): Promise<{ events: AuditEvent[]; nextBefore: number | null }> {
  const limit = query.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > 500)
    throw invalid('limit: expected an integer from 1 to 500');
  if (query.actorKind !== undefined && !ACTOR_KINDS.includes(query.actorKind))
    throw invalid('actorKind: unknown actor kind');
  if (query.result !== undefined && !RESULTS.includes(query.result))
    throw invalid("result: expected 'ok', 'denied' or 'failed'");
  if (query.before !== undefined && !Number.isSafeInteger(query.before))
    throw invalid('before: expected an event id');
  if (query.action !== undefined && typeof query.action !== 'string')
    throw invalid('action: expected a string');
  if (query.actor !== undefined && typeof query.actor !== 'string') throw invalid('actor: expected a string');
  for (const name of ['since', 'until'] as const) {
    const value = query[name];
    if (value !== undefined && !(value instanceof Date && Number.isFinite(value.getTime())))
      throw invalid(`${name}: expected a valid Date`);
  }

  let select = db.selectFrom('audit_events').selectAll();
  if (query.actor !== undefined) select = select.where('actor', '=', query.actor);
  if (query.actorKind !== undefined) select = select.where('actor_kind', '=', query.actorKind);
  if (query.result !== undefined) select = select.where('result', '=', query.result);
  if (query.since !== undefined) select = select.where('at', '>=', query.since.getTime());
  if (query.until !== undefined) select = select.where('at', '<', query.until.getTime());
  if (query.before !== undefined) select = select.where('id', '<', query.before);
  if (query.action !== undefined) {
    const { action } = query;
    if (action.endsWith('*')) {
      // substr, not LIKE: SQLite's LIKE ignores case, and '%' or '_' in the prefix would be patterns.
      const prefix = action.slice(0, -1);
      select = select.where(sql<boolean>`substr(action, 1, ${[...prefix].length}) = ${prefix}`);
    } else select = select.where('action', '=', action);
  }
  const rows = await select
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();
  const events = rows.slice(0, limit).map(toEvent);
  const more = rows.length > limit;
  return { events, nextBefore: more ? (events[events.length - 1] as AuditEvent).id : null };
}

/** Deletes the events before `olderThan`; returns how many. */
export async function pruneAudit(db: Kysely<Database>, olderThan: Date): Promise<number> {
  const result = await db.deleteFrom('audit_events').where('at', '<', olderThan.getTime()).executeTakeFirst();
  return Number(result.numDeletedRows);
}

function toEvent(row: Selectable<AuditEventsTable>): AuditEvent {
  return Object.freeze({
    id: readNumber(row.id),
    at: new Date(readNumber(row.at)),
    actorKind: row.actor_kind as AuditActorKind,
    actor: row.actor,
    action: row.action,
    target: row.target,
    source: row.source,
    result: row.result as AuditResult,
    status: row.status === null ? null : readNumber(row.status),
    detail: row.detail,
  });
}

/** The first `max` characters (code points, so no surrogate pair is split). */
function cut(value: unknown, max: number, name: string): string {
  if (typeof value !== 'string') throw invalid(`${name}: expected a string`);
  if (value.length <= max) return value;
  return [...value].slice(0, max).join('');
}

function cutOptional(value: unknown, max: number, name: string): string | null {
  return value === undefined || value === null ? null : cut(value, max, name);
}

const invalid = (message: string) => new AuditEventInvalidError(message);
