import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { UserEmailInvalidError, UserEmailTakenError } from './errors.js';
import { isUniqueViolation } from './lib/constraint-errors.js';
import { readNumber } from './lib/integers.js';
import type { Database, ProxyUsersTable } from './schema.js';

/** A proxy user: a VLESS client on every node. `max_users` is enforced where configs are generated. */
export interface ProxyUser {
  /** The VLESS id (a UUID). */
  readonly id: string;
  /** The user's identity in the core's config and statistics. */
  readonly email: string;
  readonly enabled: boolean;
  readonly createdAt: Date;
}

export interface AddUserOptions {
  /** The VLESS id to use (default: a random UUID). */
  id?: string;
  /** Default true. */
  enabled?: boolean;
  now?: Date;
}

// Plain addresses only: the core's statistics names are `user>>>EMAIL>>>traffic>>>uplink`.
const EMAIL =
  /^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)*$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Whether `email` is an address the store accepts for a proxy user. */
export function isValidUserEmail(email: unknown): email is string {
  return typeof email === 'string' && email.length <= 254 && EMAIL.test(email);
}

/**
 * Adds an enabled proxy user with a random UUID.
 *
 * @throws {UserEmailInvalidError} / {UserEmailTakenError}
 */
export async function addUser(
  db: Kysely<Database>,
  email: string,
  options: AddUserOptions = {},
): Promise<ProxyUser> {
  if (!isValidUserEmail(email))
    throw new UserEmailInvalidError('email: expected a plain address (local@domain)');
  const id = options.id ?? randomUUID();
  if (!UUID.test(id)) throw new RangeError('options.id: expected a lower-case UUID');
  const row = {
    id,
    email,
    enabled: options.enabled === false ? 0 : 1,
    created_at: (options.now ?? new Date()).getTime(),
  };
  try {
    await db.insertInto('proxy_users').values(row).execute();
  } catch (error) {
    if (isUniqueViolation(error))
      throw new UserEmailTakenError('email: a user with this email or id exists', { email });
    throw error;
  }
  return toUser(row);
}

/** Removes the user; false when there was none. Its traffic totals stay. */
export async function removeUser(db: Kysely<Database>, email: string): Promise<boolean> {
  const result = await db.deleteFrom('proxy_users').where('email', '=', email).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Enables or disables the user; false when there is none. */
export async function setUserEnabled(
  db: Kysely<Database>,
  email: string,
  enabled: boolean,
): Promise<boolean> {
  if (typeof enabled !== 'boolean') throw new TypeError('enabled: expected a boolean');
  const result = await db
    .updateTable('proxy_users')
    .set({ enabled: enabled ? 1 : 0 })
    .where('email', '=', email)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function getUser(db: Kysely<Database>, email: string): Promise<ProxyUser | null> {
  const row = await db.selectFrom('proxy_users').selectAll().where('email', '=', email).executeTakeFirst();
  return row === undefined ? null : toUser(row);
}

/** Every proxy user, by email. */
export async function listUsers(db: Kysely<Database>): Promise<ProxyUser[]> {
  const rows = await db.selectFrom('proxy_users').selectAll().execute();
  // Sorted here, by code unit: the databases' collations differ.
  return rows.map(toUser).sort((a, b) => (a.email < b.email ? -1 : a.email > b.email ? 1 : 0));
}

function toUser(row: Selectable<ProxyUsersTable>): ProxyUser {
  return Object.freeze({
    id: row.id,
    email: row.email,
    enabled: readNumber(row.enabled) === 1,
    createdAt: new Date(readNumber(row.created_at)),
  });
}
