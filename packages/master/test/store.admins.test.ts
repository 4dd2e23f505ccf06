// Admin accounts in the store, on SQLite and PostgreSQL: names, password rules, scrypt hashes never
// returned, logins with lockout after repeated failures (times injected), unlock and password reset.
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import {
  countAdmins,
  createAdmin,
  deleteAdmin,
  getAdmin,
  getAdminById,
  listAdmins,
  setAdminPassword,
  unlockAdmin,
  verifyAdminLogin,
  verifyPassword,
} from '../src/store/index.js';
import { storeKinds, useTestStore } from './support/store.js';

const PASSWORD = 'correct horse battery staple';
const T0 = new Date('2030-01-01T00:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

describe.each(storeKinds())('store admins (%s)', (kind) => {
  const store = useTestStore(kind);

  it('creates, reads, lists, counts and deletes admins, never returning the hash', async () => {
    expect(await countAdmins(store.db)).toBe(0);
    const bob = await createAdmin(store.db, 'bob', PASSWORD, { now: T0 });
    const alice = await createAdmin(store.db, 'alice@example.com', PASSWORD);
    expect(bob).toEqual({
      id: expect.any(Number),
      name: 'bob',
      createdAt: T0,
      lastLoginAt: null,
      failedLogins: 0,
      lockedUntil: null,
      sessionsValidAfter: new Date(0),
    });
    expect(Object.isFrozen(bob)).toBe(true);
    expect(JSON.stringify(bob)).not.toContain('scrypt');
    expect(await listAdmins(store.db)).toEqual([alice, bob]);
    expect(await getAdmin(store.db, 'bob')).toEqual(bob);
    expect(await getAdminById(store.db, bob.id)).toEqual(bob);
    expect(await getAdmin(store.db, 'carol')).toBeNull();
    expect(await getAdminById(store.db, bob.id + alice.id + 100)).toBeNull();
    expect(await countAdmins(store.db)).toBe(2);

    // The stored hash is scrypt of the password, in the documented encoding.
    const row = await store.db
      .selectFrom('admins')
      .select('password_hash')
      .where('name', '=', 'bob')
      .executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^scrypt\$ln=15,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(await verifyPassword(PASSWORD, row.password_hash)).toBe(true);

    expect(await deleteAdmin(store.db, 'bob')).toBe(true);
    expect(await deleteAdmin(store.db, 'bob')).toBe(false);
    expect(await listAdmins(store.db)).toEqual([alice]);
  });

  it('refuses bad and duplicate names and passwords outside 12..1024 characters', async () => {
    await createAdmin(store.db, 'alice', PASSWORD);
    await expect(createAdmin(store.db, 'alice', PASSWORD)).rejects.toMatchObject({
      code: 'ADMIN_NAME_TAKEN',
    });
    for (const name of ['', '-alice', 'a b', 'a/b', 'ä', 'x'.repeat(65), 'a\n']) {
      await expect(createAdmin(store.db, name, PASSWORD)).rejects.toMatchObject({
        code: 'ADMIN_NAME_INVALID',
      });
    }
    expect(await createAdmin(store.db, `a${'x'.repeat(63)}`, PASSWORD)).toMatchObject({
      name: `a${'x'.repeat(63)}`,
    });
    for (const password of ['short-pass1', 'x'.repeat(1025), '🔑'.repeat(11)]) {
      const error = await createAdmin(store.db, 'carol', password).catch((e: unknown) => e);
      expect(error).toMatchObject({
        code: 'PASSWORD_INVALID',
        message: 'password: expected 12 to 1024 characters',
      });
    }
    // Characters, not UTF-16 units: twelve emoji are twelve characters.
    await createAdmin(store.db, 'dave', '🔑'.repeat(12));
    await createAdmin(store.db, 'erin', 'x'.repeat(1024));
    expect((await listAdmins(store.db)).map((a) => a.name)).toEqual(
      ['alice', 'a' + 'x'.repeat(63), 'dave', 'erin'].sort(),
    );
  });

  it('logs in with the right password only, recording the time', async () => {
    await createAdmin(store.db, 'alice', PASSWORD, { now: T0 });
    const ok = await verifyAdminLogin(store.db, 'alice', PASSWORD, { now: at(1000) });
    expect(ok).toEqual({
      ok: true,
      admin: expect.objectContaining({ name: 'alice', lastLoginAt: at(1000), failedLogins: 0 }),
    });
    expect(await verifyAdminLogin(store.db, 'alice', `${PASSWORD}!`, { now: at(2000) })).toEqual({
      ok: false,
      reason: 'invalid',
    });
    expect(await verifyAdminLogin(store.db, 'alice', 'x'.repeat(100_000), { now: at(2000) })).toEqual({
      ok: false,
      reason: 'invalid',
    });
    expect(await verifyAdminLogin(store.db, 'nobody', PASSWORD)).toEqual({ ok: false, reason: 'invalid' });
    expect(await getAdmin(store.db, 'alice')).toMatchObject({ failedLogins: 2, lastLoginAt: at(1000) });
    // A success resets the count.
    await verifyAdminLogin(store.db, 'alice', PASSWORD, { now: at(3000) });
    expect(await getAdmin(store.db, 'alice')).toMatchObject({ failedLogins: 0, lastLoginAt: at(3000) });
  });

  it('locks the account at the 5th failure for 15 minutes, without checking passwords meanwhile', async () => {
    await createAdmin(store.db, 'alice', PASSWORD, { now: T0 });
    for (let i = 1; i <= 4; i++) {
      expect(await verifyAdminLogin(store.db, 'alice', 'wrong password!', { now: at(i) })).toEqual({
        ok: false,
        reason: 'invalid',
      });
      expect((await getAdmin(store.db, 'alice'))!.failedLogins).toBe(i);
    }
    const lockedUntil = at(5 + 15 * 60_000);
    expect(await verifyAdminLogin(store.db, 'alice', 'wrong password!', { now: at(5) })).toEqual({
      ok: false,
      reason: 'locked',
      lockedUntil,
    });
    expect(await getAdmin(store.db, 'alice')).toMatchObject({ failedLogins: 0, lockedUntil });
    // The right password is refused while locked, and the attempt does not count.
    expect(await verifyAdminLogin(store.db, 'alice', PASSWORD, { now: at(15 * 60_000) })).toEqual({
      ok: false,
      reason: 'locked',
      lockedUntil,
    });
    expect(await getAdmin(store.db, 'alice')).toMatchObject({ failedLogins: 0, lastLoginAt: null });
    // Once the lock has passed, the right password works again.
    expect(await verifyAdminLogin(store.db, 'alice', PASSWORD, { now: lockedUntil })).toMatchObject({
      ok: true,
    });
  });

  it('honours maxFailures and lockoutMs, and unlockAdmin lifts a lock', async () => {
    await createAdmin(store.db, 'alice', PASSWORD);
    const options = { now: T0, maxFailures: 2, lockoutMs: 1000 };
    expect(await verifyAdminLogin(store.db, 'alice', 'wrong password!', options)).toMatchObject({
      reason: 'invalid',
    });
    expect(await verifyAdminLogin(store.db, 'alice', 'wrong password!', options)).toEqual({
      ok: false,
      reason: 'locked',
      lockedUntil: at(1000),
    });
    expect(await verifyAdminLogin(store.db, 'alice', PASSWORD, { now: at(999) })).toMatchObject({
      reason: 'locked',
    });
    expect(await unlockAdmin(store.db, 'alice')).toBe(true);
    expect(await unlockAdmin(store.db, 'nobody')).toBe(false);
    expect(await getAdmin(store.db, 'alice')).toMatchObject({ failedLogins: 0, lockedUntil: null });
    expect(await verifyAdminLogin(store.db, 'alice', PASSWORD, { now: at(999) })).toMatchObject({ ok: true });
    await expect(verifyAdminLogin(store.db, 'alice', PASSWORD, { maxFailures: 0 })).rejects.toThrow(
      RangeError,
    );
  });

  it('counts concurrent failures, each one', async () => {
    await createAdmin(store.db, 'alice', PASSWORD);
    const attempts = Array.from({ length: 4 }, () =>
      verifyAdminLogin(store.db, 'alice', 'wrong password!', { maxFailures: 10 }),
    );
    expect(await Promise.all(attempts)).toEqual(Array(4).fill({ ok: false, reason: 'invalid' }));
    expect((await getAdmin(store.db, 'alice'))!.failedLogins).toBe(4);
  });

  it('takes as long for an unknown name as for a wrong password (a hash either way)', async () => {
    await createAdmin(store.db, 'alice', PASSWORD);
    const time = async (name: string) => {
      const start = performance.now();
      await verifyAdminLogin(store.db, name, 'wrong password!', { maxFailures: 100 });
      return performance.now() - start;
    };
    await time('alice'); // warm up
    const known = Math.min(await time('alice'), await time('alice'));
    const unknown = Math.min(await time('nobody'), await time('nobody'));
    // A scrypt hash (tens of ms) dominates both; a bare lookup would take a small fraction.
    expect(unknown).toBeGreaterThan(known * 0.5);
  });

  it('sets a new password: the old one stops working', async () => {
    await createAdmin(store.db, 'alice', PASSWORD);
    expect(await setAdminPassword(store.db, 'alice', 'a brand new passphrase')).toBe(true);
    expect(await setAdminPassword(store.db, 'nobody', 'a brand new passphrase')).toBe(false);
    await expect(setAdminPassword(store.db, 'alice', 'short')).rejects.toMatchObject({
      code: 'PASSWORD_INVALID',
    });
    expect(await verifyAdminLogin(store.db, 'alice', PASSWORD)).toMatchObject({
      ok: false,
      reason: 'invalid',
    });
    expect(await verifyAdminLogin(store.db, 'alice', 'a brand new passphrase')).toMatchObject({ ok: true });
  });
});
