import { sql, type Kysely } from 'kysely';
import { MAX_PASSWORD_LENGTH, toAdmin, type AdminAccount } from './admin-account.js';
import { readOptionalDate } from './lib/integers.js';
import { verifyPassword } from './lib/password.js';
import type { Database } from './schema.js';

export interface AdminLoginOptions {
  now?: Date;
  /** Wrong passwords in a row that lock the account (default 5). */
  maxFailures?: number;
  /** How long a lockout lasts, in ms (default 15 minutes). */
  lockoutMs?: number;
}

export type AdminLoginResult =
  | { readonly ok: true; readonly admin: AdminAccount }
  | { readonly ok: false; readonly reason: 'invalid' | 'locked'; readonly lockedUntil?: Date };

// Verified in place of an unknown admin's hash, at the same cost, so that the time taken does not
// tell which names exist. No password matches it (it is no scrypt output anyone knows the input of).
const DUMMY_HASH = `scrypt$ln=15,r=8,p=1$${'A'.repeat(22)}$${'A'.repeat(43)}`;

/**
 * Checks an admin's password. A locked account answers 'locked' without checking the password;
 * each wrong password counts, and the `maxFailures`-th locks the account for `lockoutMs` (that
 * attempt already answers 'locked'). Counting is one UPDATE, so concurrent attempts all count.
 */
export async function verifyAdminLogin(
  db: Kysely<Database>,
  name: string,
  password: string,
  options: AdminLoginOptions = {},
): Promise<AdminLoginResult> {
  const maxFailures = positiveInteger(options.maxFailures ?? 5, 'options.maxFailures');
  const lockoutMs = positiveInteger(options.lockoutMs ?? 15 * 60_000, 'options.lockoutMs');
  const now = (options.now ?? new Date()).getTime();
  // Longer inputs are not hashed (a cheap way to burn CPU) and can never match.
  const candidate =
    typeof password === 'string' && [...password].length <= MAX_PASSWORD_LENGTH ? password : '';
  const row =
    typeof name === 'string'
      ? await db.selectFrom('admins').selectAll().where('name', '=', name).executeTakeFirst()
      : undefined;
  if (row === undefined) {
    await verifyPassword(candidate, DUMMY_HASH);
    return Object.freeze({ ok: false, reason: 'invalid' });
  }
  const locked = lockedAnswer(row.locked_until, now);
  if (locked) {
    await verifyPassword(candidate, DUMMY_HASH); // the same time as any other answer
    return locked;
  }

  const matches = candidate === password && (await verifyPassword(candidate, row.password_hash));
  const unlocked = sql<boolean>`(locked_until is null or locked_until <= ${now})`;
  if (matches) {
    const updated = await db
      .updateTable('admins')
      .set({ failed_logins: 0, last_login_at: now })
      .where('id', '=', row.id)
      .where(unlocked)
      .returningAll()
      .executeTakeFirst();
    if (updated) return Object.freeze({ ok: true, admin: toAdmin(updated) });
  } else {
    const reachesLimit = sql`failed_logins + 1 >= ${maxFailures}`;
    const updated = await db
      .updateTable('admins')
      .set({
        failed_logins: sql`case when ${reachesLimit} then 0 else failed_logins + 1 end`,
        locked_until: sql`case when ${reachesLimit} then ${now + lockoutMs} else locked_until end`,
      })
      .where('id', '=', row.id)
      .where(unlocked)
      .returning('locked_until')
      .executeTakeFirst();
    if (updated)
      return lockedAnswer(updated.locked_until, now) || Object.freeze({ ok: false, reason: 'invalid' });
  }
  // Another attempt locked the account while this one was hashing.
  const current = await db
    .selectFrom('admins')
    .select('locked_until')
    .where('id', '=', row.id)
    .executeTakeFirst();
  return (
    (current && lockedAnswer(current.locked_until, now)) || Object.freeze({ ok: false, reason: 'invalid' })
  );
}

function lockedAnswer(
  lockedUntil: bigint | string | number | null,
  now: number,
): AdminLoginResult | undefined {
  const until = readOptionalDate(lockedUntil);
  if (until === null || until.getTime() <= now) return undefined;
  return Object.freeze({ ok: false, reason: 'locked', lockedUntil: until });
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`${name}: expected a positive integer`);
  return value;
}
