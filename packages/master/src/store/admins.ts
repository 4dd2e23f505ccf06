import type { Kysely } from 'kysely';
import { checkNewPassword, toAdmin, type AdminAccount } from './admin-account.js';
import { AdminNameInvalidError, AdminNameTakenError } from './errors.js';
import { isUniqueViolation } from './lib/constraint-errors.js';
import { readNumber } from './lib/integers.js';
import { hashPassword } from './lib/password.js';
import type { Database } from './schema.js';

// Admin accounts: people who log in to the console and own access keys. Logins in admin-login.ts.
export { type AdminAccount } from './admin-account.js';
export { verifyAdminLogin, type AdminLoginOptions, type AdminLoginResult } from './admin-login.js';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;

/**
 * Creates an admin with a scrypt hash of `password`.
 *
 * @throws {AdminNameInvalidError} / {AdminNameTakenError} / {PasswordInvalidError}
 */
export async function createAdmin(
  db: Kysely<Database>,
  name: string,
  password: string,
  options: { now?: Date } = {},
): Promise<AdminAccount> {
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new AdminNameInvalidError(
      'name: expected 1-64 characters of [A-Za-z0-9._@-], starting with a letter or digit',
    );
  }
  const row = {
    name,
    password_hash: await hashPassword(checkNewPassword(password)),
    created_at: (options.now ?? new Date()).getTime(),
    failed_logins: 0,
  };
  try {
    const inserted = await db.insertInto('admins').values(row).returningAll().executeTakeFirstOrThrow();
    return toAdmin(inserted);
  } catch (error) {
    if (isUniqueViolation(error))
      throw new AdminNameTakenError('name: an admin with this name exists', { name });
    throw error;
  }
}

/** Every admin, by name. */
export async function listAdmins(db: Kysely<Database>): Promise<AdminAccount[]> {
  const rows = await db.selectFrom('admins').selectAll().execute();
  // Sorted here, by code unit: the databases' collations differ.
  return rows.map(toAdmin).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export async function getAdmin(db: Kysely<Database>, name: string): Promise<AdminAccount | null> {
  const row = await db.selectFrom('admins').selectAll().where('name', '=', name).executeTakeFirst();
  return row === undefined ? null : toAdmin(row);
}

export async function getAdminById(db: Kysely<Database>, id: number): Promise<AdminAccount | null> {
  if (!Number.isSafeInteger(id) || id < 1) return null;
  const row = await db.selectFrom('admins').selectAll().where('id', '=', id).executeTakeFirst();
  return row === undefined ? null : toAdmin(row);
}

export async function countAdmins(db: Kysely<Database>): Promise<number> {
  const { count } = await db
    .selectFrom('admins')
    .select((eb) => eb.fn.countAll<number | bigint | string>().as('count'))
    .executeTakeFirstOrThrow();
  return readNumber(count);
}

/** Deletes the admin and, by cascade, the admin's access keys; false when there was none. */
export async function deleteAdmin(db: Kysely<Database>, name: string): Promise<boolean> {
  const result = await db.deleteFrom('admins').where('name', '=', name).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/**
 * Replaces the admin's password and ends the admin's earlier web sessions; false when there is no
 * such admin. A lockout stays in place (`unlockAdmin` lifts it).
 *
 * @throws {PasswordInvalidError}
 */
export async function setAdminPassword(
  db: Kysely<Database>,
  name: string,
  password: string,
): Promise<boolean> {
  const passwordHash = await hashPassword(checkNewPassword(password));
  const result = await db
    .updateTable('admins')
    .set({ password_hash: passwordHash, sessions_valid_after: wholeSecond(new Date()) })
    .where('name', '=', name)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * Ends every web session of the admin issued before now (logout, or a suspected stolen token);
 * false when there is no such admin. Tokens carry whole seconds: one from this very second stays.
 */
export async function endAdminSessions(
  db: Kysely<Database>,
  name: string,
  options: { now?: Date } = {},
): Promise<boolean> {
  const result = await db
    .updateTable('admins')
    .set({ sessions_valid_after: wholeSecond(options.now ?? new Date()) })
    .where('name', '=', name)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

const wholeSecond = (date: Date) => Math.floor(date.getTime() / 1000) * 1000;

/** Clears the failure count and any lockout; false when there is no such admin. */
export async function unlockAdmin(db: Kysely<Database>, name: string): Promise<boolean> {
  const result = await db
    .updateTable('admins')
    .set({ failed_logins: 0, locked_until: null })
    .where('name', '=', name)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
