import type { Kysely, Selectable } from 'kysely';
import { ACCESS_KEY_SCOPES, type AccessKeyScope } from './access-key-record.js';
import { AccessKeyInvalidError, ServiceNameInvalidError } from './errors.js';
import { readNumber } from './lib/integers.js';
import type { Database, ServicesTable } from './schema.js';

// Named services: the callers of /v1/service, each issued JWTs with a scope.

export interface ServiceAccount {
  readonly name: string;
  readonly scope: AccessKeyScope;
  readonly createdAt: Date;
  /** Tokens issued before this time are revoked. */
  readonly tokensValidAfter: Date;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * Creates the service, or changes an existing one's scope (keeping its creation time and
 * revocations).
 *
 * @throws {ServiceNameInvalidError} / {AccessKeyInvalidError} for an unknown scope.
 */
export async function upsertService(
  db: Kysely<Database>,
  name: string,
  scope: AccessKeyScope,
  options: { now?: Date } = {},
): Promise<ServiceAccount> {
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new ServiceNameInvalidError(
      'name: expected 1-64 characters of [A-Za-z0-9._-], starting with a letter or digit',
    );
  }
  if (!ACCESS_KEY_SCOPES.includes(scope))
    throw new AccessKeyInvalidError("scope: expected 'read-only' or 'read-write'");
  const now = (options.now ?? new Date()).getTime();
  const row = await db
    .insertInto('services')
    .values({ name, scope, created_at: now, tokens_valid_after: wholeSecond(now) })
    .onConflict((conflict) => conflict.column('name').doUpdateSet({ scope }))
    .returningAll()
    .executeTakeFirstOrThrow();
  return toService(row);
}

/**
 * Tokens carry their issue time in whole seconds: a new service accepts tokens from the second it
 * was created in (and none from before, so a deleted and re-created service starts afresh).
 */
const wholeSecond = (ms: number) => Math.floor(ms / 1000) * 1000;

export async function getService(db: Kysely<Database>, name: string): Promise<ServiceAccount | null> {
  const row = await db.selectFrom('services').selectAll().where('name', '=', name).executeTakeFirst();
  return row === undefined ? null : toService(row);
}

/** Every service, by name. */
export async function listServices(db: Kysely<Database>): Promise<ServiceAccount[]> {
  const rows = await db.selectFrom('services').selectAll().execute();
  return rows.map(toService).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export async function deleteService(db: Kysely<Database>, name: string): Promise<boolean> {
  const result = await db.deleteFrom('services').where('name', '=', name).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Revokes every token issued to the service until now; false when there is no such service. */
export async function revokeServiceTokens(
  db: Kysely<Database>,
  name: string,
  options: { now?: Date } = {},
): Promise<boolean> {
  const result = await db
    .updateTable('services')
    .set({ tokens_valid_after: (options.now ?? new Date()).getTime() })
    .where('name', '=', name)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

function toService(row: Selectable<ServicesTable>): ServiceAccount {
  return Object.freeze({
    name: row.name,
    scope: row.scope,
    createdAt: new Date(readNumber(row.created_at)),
    tokensValidAfter: new Date(readNumber(row.tokens_valid_after)),
  });
}
