// Access keys (AK/SK) in the store, on SQLite and PostgreSQL: seed 003's shapes, the SK only ever
// stored as a Fernet token, owners (an admin or the operator, keys deleted with their admin),
// enable/disable, rotation, usage counts, and lookups that never query for a malformed AK.
import { describe, expect, it, vi } from 'vitest';
import {
  createAccessKey,
  createAdmin,
  deleteAccessKey,
  deleteAdmin,
  getAccessKey,
  listAccessKeys,
  recordAccessKeyUse,
  resolveAccessKey,
  rotateAccessKey,
  setAccessKeyEnabled,
} from '../src/store/index.js';
import { storeKinds, useTestStore } from './support/store.js';

const T0 = new Date('2030-01-01T00:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const FERNET_TOKEN = /^gAAAAA[A-Za-z0-9_-]+=*$/;

describe.each(storeKinds())('store access keys (%s)', (kind) => {
  const store = useTestStore(kind);
  const storedSecret = async (accessKey: string) =>
    (
      await store.db
        .selectFrom('access_keys')
        .select('secret')
        .where('access_key', '=', accessKey)
        .executeTakeFirstOrThrow()
    ).secret;
  const decrypt = (token: string) => Buffer.from(store.fernet.decrypt(token)).toString('utf8');

  it("issues seed 003's shapes and stores the SK only as a Fernet token", async () => {
    const { record, secretKey } = await createAccessKey(store.db, store.fernet, {
      algorithm: 'L3.SHA256',
      now: T0,
    });
    expect(record.accessKey).toMatch(/^[0-9a-f]{16}$/);
    expect(secretKey).toMatch(/^[0-9a-f]{32}$/);
    expect(record).toEqual({
      accessKey: record.accessKey,
      algorithm: 'L3.SHA256',
      scope: 'read-only',
      ownerAdminId: null,
      owner: 'operator',
      description: '',
      enabled: true,
      createdAt: T0,
      lastUsedAt: null,
      useCount: 0,
      rotatedAt: null,
    });
    expect(Object.isFrozen(record)).toBe(true);
    expect(JSON.stringify(record)).not.toContain(secretKey);
    const token = await storedSecret(record.accessKey);
    expect(token).toMatch(FERNET_TOKEN);
    expect(token).not.toContain(secretKey);
    expect(decrypt(token)).toBe(secretKey);
    expect(await getAccessKey(store.db, record.accessKey)).toEqual(record);

    const other = await createAccessKey(store.db, store.fernet, { algorithm: 'L3.SHA256' });
    expect(other.record.accessKey).not.toBe(record.accessKey);
    expect(other.secretKey).not.toBe(secretKey);
  });

  it('normalizes algorithm names and checks every input', async () => {
    const alias = await createAccessKey(store.db, store.fernet, { algorithm: 'L0.PAINTEXT' });
    expect(alias.record.algorithm).toBe('L0.PLAINTEXT');
    for (const algorithm of ['L0.SHA1', 'L3.SHA1', 'L3.HMAC-SHA256']) {
      expect((await createAccessKey(store.db, store.fernet, { algorithm })).record.algorithm).toBe(algorithm);
    }
    const bad = [
      { algorithm: 'L3.MD5' },
      { algorithm: 'l3.sha256' },
      { algorithm: 'L3.SHA256', scope: 'admin' },
      { algorithm: 'L3.SHA256', ownerAdminId: 0 },
      { algorithm: 'L3.SHA256', ownerAdminId: 1.5 },
      { algorithm: 'L3.SHA256', description: 'x'.repeat(201) },
      { algorithm: 'L3.SHA256', description: 'line\nbreak' },
    ];
    for (const input of bad) {
      await expect(createAccessKey(store.db, store.fernet, input as never)).rejects.toMatchObject({
        code: 'ACCESS_KEY_INVALID',
      });
    }
    await expect(
      createAccessKey(store.db, store.fernet, { algorithm: 'L3.SHA256', ownerAdminId: 999_999 }),
    ).rejects.toMatchObject({ code: 'ADMIN_NOT_FOUND' });
    expect(await listAccessKeys(store.db)).toHaveLength(4);
  });

  it('belongs to an admin or the operator, lists newest first, and goes with its admin', async () => {
    const alice = await createAdmin(store.db, 'alice', 'correct horse battery staple');
    const bob = await createAdmin(store.db, 'bob', 'correct horse battery staple');
    const mine = await createAccessKey(store.db, store.fernet, {
      algorithm: 'L3.SHA256',
      scope: 'read-write',
      ownerAdminId: alice.id,
      description: 'deploy bot',
      now: at(1),
    });
    const bobs = await createAccessKey(store.db, store.fernet, {
      algorithm: 'L3.SHA1',
      ownerAdminId: bob.id,
      now: at(2),
    });
    const operator = await createAccessKey(store.db, store.fernet, {
      algorithm: 'L3.SHA1',
      ownerAdminId: null,
      now: at(3),
    });
    expect(mine.record).toMatchObject({
      ownerAdminId: alice.id,
      owner: 'alice',
      scope: 'read-write',
      description: 'deploy bot',
    });
    expect((await listAccessKeys(store.db)).map((k) => k.accessKey)).toEqual(
      [operator, bobs, mine].map((k) => k.record.accessKey),
    );
    expect(await listAccessKeys(store.db, { ownerAdminId: alice.id })).toEqual([mine.record]);
    expect(await listAccessKeys(store.db, { ownerAdminId: null })).toEqual([operator.record]);

    expect(await deleteAdmin(store.db, 'alice')).toBe(true);
    expect(await getAccessKey(store.db, mine.record.accessKey)).toBeNull();
    expect(await resolveAccessKey(store.db, store.fernet, mine.record.accessKey)).toBeUndefined();
    expect((await listAccessKeys(store.db)).map((k) => k.accessKey)).toEqual(
      [operator, bobs].map((k) => k.record.accessKey),
    );
  });

  it('resolves an AK to its record and SK, and never queries for a malformed one', async () => {
    const { record, secretKey } = await createAccessKey(store.db, store.fernet, { algorithm: 'L3.SHA256' });
    expect(await resolveAccessKey(store.db, store.fernet, record.accessKey)).toEqual({ record, secretKey });
    expect(await resolveAccessKey(store.db, store.fernet, '0000000000000000')).toBeUndefined();
    const select = vi.spyOn(store.db, 'selectFrom');
    try {
      for (const ak of [
        '',
        record.accessKey.toUpperCase(),
        `${record.accessKey}0`,
        "' or 1=1 --",
        'x'.repeat(16),
      ]) {
        expect(await resolveAccessKey(store.db, store.fernet, ak)).toBeUndefined();
      }
      expect(select).not.toHaveBeenCalled();
    } finally {
      select.mockRestore();
    }
    // A disabled key still resolves, marked disabled, so the caller can say so.
    expect(await setAccessKeyEnabled(store.db, record.accessKey, false)).toBe(true);
    expect((await resolveAccessKey(store.db, store.fernet, record.accessKey))!.record.enabled).toBe(false);
    expect(await setAccessKeyEnabled(store.db, record.accessKey, true)).toBe(true);
    expect((await getAccessKey(store.db, record.accessKey))!.enabled).toBe(true);
    expect(await setAccessKeyEnabled(store.db, '0000000000000000', false)).toBe(false);
  });

  it('rotates the SK of the same AK: the old SK is gone at once', async () => {
    const first = await createAccessKey(store.db, store.fernet, { algorithm: 'L3.SHA256', now: T0 });
    const rotated = await rotateAccessKey(store.db, store.fernet, first.record.accessKey, { now: at(5000) });
    expect(rotated.record).toEqual({ ...first.record, rotatedAt: at(5000) });
    expect(rotated.secretKey).toMatch(/^[0-9a-f]{32}$/);
    expect(rotated.secretKey).not.toBe(first.secretKey);
    const token = await storedSecret(first.record.accessKey);
    expect(token).toMatch(FERNET_TOKEN);
    expect(decrypt(token)).toBe(rotated.secretKey);
    expect((await resolveAccessKey(store.db, store.fernet, first.record.accessKey))!.secretKey).toBe(
      rotated.secretKey,
    );
    await expect(rotateAccessKey(store.db, store.fernet, '0000000000000000')).rejects.toMatchObject({
      code: 'ACCESS_KEY_NOT_FOUND',
    });
  });

  it('counts uses, concurrent ones included, with the last-used time', async () => {
    const { record } = await createAccessKey(store.db, store.fernet, { algorithm: 'L3.SHA256' });
    await recordAccessKeyUse(store.db, record.accessKey, at(1));
    await Promise.all(
      Array.from({ length: 10 }, () => recordAccessKeyUse(store.db, record.accessKey, at(2))),
    );
    expect(await getAccessKey(store.db, record.accessKey)).toMatchObject({ useCount: 11, lastUsedAt: at(2) });
    await recordAccessKeyUse(store.db, '0000000000000000'); // unknown: nothing happens
  });

  it('deletes keys', async () => {
    const { record } = await createAccessKey(store.db, store.fernet, { algorithm: 'L3.SHA256' });
    expect(await deleteAccessKey(store.db, record.accessKey)).toBe(true);
    expect(await deleteAccessKey(store.db, record.accessKey)).toBe(false);
    expect(await getAccessKey(store.db, record.accessKey)).toBeNull();
  });
});
