import { randomBytes } from 'node:crypto';
import type { Fernet } from '@signet/auth';
import type { Kysely } from 'kysely';
import { NodeNotFoundError, NodeSecretRotationConflictError } from './errors.js';
import { checkNodeId } from './lib/ids.js';
import { readNumber } from './lib/integers.js';
import type { Database } from './schema.js';

/**
 * A node's api_secret(s). Outside a rotation there is one. A rotation issues `next` (accepted at
 * once, handed to the worker) and, when the worker confirms it, makes it `current` and keeps the
 * replaced one as `previous` until the grace period ends.
 */
export interface NodeSecrets {
  readonly current: string;
  readonly next: NextSecret | null;
  readonly previous: { readonly secret: string; readonly until: Date } | null;
}

/** A secret issued by a rotation the worker has not confirmed yet. */
export interface NextSecret {
  readonly secret: string;
  /** The stored token: confirming compares it, so only the rotation that was read is confirmed. */
  readonly token: string;
  readonly since: Date;
  readonly graceMs: number;
}

/** A new api_secret: 32 random bytes, base64url (what registration hands out too). */
export function newApiSecret(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Replaces the node's API secret (stored Fernet-encrypted), ending any rotation: what registration
 * does, so a node that registers again starts with one secret.
 *
 * @throws {NodeNotFoundError}
 */
export async function setApiSecret(
  db: Kysely<Database>,
  fernet: Fernet,
  nodeId: number,
  secret: string,
): Promise<void> {
  if (typeof secret !== 'string' || secret.length < 16 || secret.length > 512) {
    throw new RangeError('secret: expected a string of 16 to 512 characters');
  }
  const result = await db
    .updateTable('nodes')
    .set({
      api_secret: fernet.encrypt(secret),
      api_secret_next: null,
      api_secret_next_since: null,
      api_secret_next_grace_ms: null,
      api_secret_previous: null,
      api_secret_previous_until: null,
    })
    .where('id', '=', checkNodeId(nodeId))
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n) throw new NodeNotFoundError('nodeId: no such node', { nodeId });
}

/** The node's current API secret in clear (what the master signs its calls with), or null: no such node. */
export async function getApiSecret(
  db: Kysely<Database>,
  fernet: Fernet,
  nodeId: number,
): Promise<string | null> {
  return (await readNodeSecrets(db, fernet, nodeId))?.current ?? null;
}

/** Every secret of the node in clear, or null when there is no such node. */
export async function readNodeSecrets(
  db: Kysely<Database>,
  fernet: Fernet,
  nodeId: number,
): Promise<NodeSecrets | null> {
  const row = await db
    .selectFrom('nodes')
    .select([
      'api_secret',
      'api_secret_next',
      'api_secret_next_since',
      'api_secret_next_grace_ms',
      'api_secret_previous',
      'api_secret_previous_until',
    ])
    .where('id', '=', checkNodeId(nodeId))
    .executeTakeFirst();
  if (row === undefined) return null;
  const next = row.api_secret_next;
  const previous = row.api_secret_previous;
  return {
    current: fernet.decryptText(row.api_secret),
    next:
      next === null
        ? null
        : {
            secret: fernet.decryptText(next),
            token: next,
            since: new Date(readNumber(row.api_secret_next_since ?? 0)),
            graceMs: readNumber(row.api_secret_next_grace_ms ?? 0),
          },
    previous:
      previous === null
        ? null
        : {
            secret: fernet.decryptText(previous),
            until: new Date(readNumber(row.api_secret_previous_until ?? 0)),
          },
  };
}

export interface RotationOptions {
  /** How long the replaced secret is still accepted once the worker confirms the new one. */
  readonly graceMs: number;
  readonly now?: Date;
}

/**
 * Issues the node's next api_secret: from now on the master accepts it beside the current one and
 * hands it to the worker; `confirmSecretRotation` makes it the current one.
 *
 * @throws {NodeNotFoundError}
 * @throws {NodeSecretRotationConflictError} when the node has not registered, or a rotation is pending.
 */
export async function beginSecretRotation(
  db: Kysely<Database>,
  fernet: Fernet,
  nodeId: number,
  options: RotationOptions,
): Promise<NextSecret> {
  if (!Number.isSafeInteger(options.graceMs) || options.graceMs < 0)
    throw new RangeError('graceMs: expected a non-negative integer');
  const secret = newApiSecret();
  const token = fernet.encrypt(secret);
  const since = options.now ?? new Date();
  const result = await db
    .updateTable('nodes')
    .set({
      api_secret_next: token,
      api_secret_next_since: since.getTime(),
      api_secret_next_grace_ms: options.graceMs,
    })
    .where('id', '=', checkNodeId(nodeId))
    .where('registered_at', 'is not', null)
    .where('api_secret_next', 'is', null)
    .executeTakeFirst();
  if (result.numUpdatedRows > 0n) return { secret, token, since, graceMs: options.graceMs };
  const row = await db
    .selectFrom('nodes')
    .select(['registered_at', 'api_secret_next_since'])
    .where('id', '=', nodeId)
    .executeTakeFirst();
  if (row === undefined) throw new NodeNotFoundError('nodeId: no such node', { nodeId });
  if (row.registered_at === null)
    throw new NodeSecretRotationConflictError(
      'the node has not registered yet: its worker has no secret to rotate',
      { nodeId },
    );
  const pending = new Date(readNumber(row.api_secret_next_since ?? 0)).toISOString();
  throw new NodeSecretRotationConflictError(
    `a rotation issued at ${pending} is still pending: it completes when the worker next calls the master`,
    { nodeId },
  );
}

/**
 * The worker holds the next secret: it becomes the current one, and the replaced one is accepted
 * for the rotation's grace period. Only the rotation whose stored token is `nextToken` is
 * confirmed (a second confirmation, or one racing a re-registration, changes nothing). True when
 * this call confirmed it.
 */
export async function confirmSecretRotation(
  db: Kysely<Database>,
  nodeId: number,
  next: Pick<NextSecret, 'token' | 'graceMs'>,
  now: Date = new Date(),
): Promise<boolean> {
  // The right-hand columns are the row's values before the update, in SQLite and PostgreSQL.
  const result = await db
    .updateTable('nodes')
    .set((eb) => ({
      api_secret: eb.ref('api_secret_next') as never,
      api_secret_previous: eb.ref('api_secret'),
      api_secret_previous_until: now.getTime() + next.graceMs,
      api_secret_next: null,
      api_secret_next_since: null,
      api_secret_next_grace_ms: null,
    }))
    .where('id', '=', checkNodeId(nodeId))
    .where('api_secret_next', '=', next.token)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
