import type { Selectable } from 'kysely';
import { PasswordInvalidError } from './errors.js';
import { readNumber, readOptionalDate } from './lib/integers.js';
import type { AdminsTable } from './schema.js';

/** An admin account as the store returns it: never the password hash. */
export interface AdminAccount {
  readonly id: number;
  readonly name: string;
  readonly createdAt: Date;
  readonly lastLoginAt: Date | null;
  /** Wrong passwords since the last success or lockout. */
  readonly failedLogins: number;
  /** Logins are refused until then (a past time means unlocked). */
  readonly lockedUntil: Date | null;
  /** Web tokens issued before this time are no longer accepted (whole seconds). */
  readonly sessionsValidAfter: Date;
}

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 1024;

/** @throws {PasswordInvalidError} unless `password` has 12 to 1024 characters. */
export function checkNewPassword(password: unknown): string {
  const length = typeof password === 'string' ? [...password].length : -1;
  if (length < MIN_PASSWORD_LENGTH || length > MAX_PASSWORD_LENGTH) {
    throw new PasswordInvalidError(
      `password: expected ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters`,
    );
  }
  return password as string;
}

export function toAdmin(row: Selectable<AdminsTable>): AdminAccount {
  return Object.freeze({
    id: readNumber(row.id),
    name: row.name,
    createdAt: new Date(readNumber(row.created_at)),
    lastLoginAt: readOptionalDate(row.last_login_at),
    failedLogins: readNumber(row.failed_logins),
    lockedUntil: readOptionalDate(row.locked_until),
    sessionsValidAfter: new Date(readNumber(row.sessions_valid_after)),
  });
}
