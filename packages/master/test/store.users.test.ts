// Proxy users in the store, on SQLite and PostgreSQL: a random UUID each, unique emails, enable and
// disable, removal that keeps the user's traffic history.
import { describe, expect, it } from 'vitest';
import {
  addUser,
  applyTrafficReport,
  createNode,
  getUser,
  listUsers,
  removeUser,
  setUserEnabled,
  trafficTotals,
} from '../src/store/index.js';
import { storeKinds, useTestStore } from './support/store.js';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe.each(storeKinds())('store users (%s)', (kind) => {
  const store = useTestStore(kind);

  it('adds users with random UUIDs and lists them by email', async () => {
    const bob = await addUser(store.db, 'bob@example.com');
    const alice = await addUser(store.db, 'alice@example.com');
    expect(bob.id).toMatch(UUID_V4);
    expect(alice.id).not.toBe(bob.id);
    expect(bob).toMatchObject({ email: 'bob@example.com', enabled: true });
    expect(await listUsers(store.db)).toEqual([alice, bob]);
    expect(await getUser(store.db, 'bob@example.com')).toEqual(bob);
    expect(await getUser(store.db, 'carol@example.com')).toBeNull();
  });

  it('keeps a given id and a disabled start', async () => {
    const id = '5783a3e7-e373-51cd-8642-c83782b807c5';
    expect(await addUser(store.db, 'a@example.com', { id, enabled: false })).toMatchObject({
      id,
      enabled: false,
    });
    await expect(addUser(store.db, 'b@example.com', { id })).rejects.toMatchObject({
      code: 'USER_EMAIL_TAKEN',
    });
    await expect(addUser(store.db, 'c@example.com', { id: 'not-a-uuid' })).rejects.toThrow(RangeError);
  });

  it('refuses duplicate and malformed emails', async () => {
    await addUser(store.db, 'alice@example.com');
    await expect(addUser(store.db, 'alice@example.com')).rejects.toMatchObject({ code: 'USER_EMAIL_TAKEN' });
    for (const email of [
      '',
      'alice',
      'a b@example.com',
      'a>>>b@example.com',
      '@example.com',
      'a@',
      `${'x'.repeat(65)}@e.com`,
    ]) {
      await expect(addUser(store.db, email)).rejects.toMatchObject({ code: 'USER_EMAIL_INVALID' });
    }
    expect(await listUsers(store.db)).toHaveLength(1);
  });

  it('enables, disables and removes users', async () => {
    await addUser(store.db, 'alice@example.com');
    expect(await setUserEnabled(store.db, 'alice@example.com', false)).toBe(true);
    expect((await getUser(store.db, 'alice@example.com'))!.enabled).toBe(false);
    expect(await setUserEnabled(store.db, 'alice@example.com', true)).toBe(true);
    expect((await getUser(store.db, 'alice@example.com'))!.enabled).toBe(true);
    expect(await setUserEnabled(store.db, 'nobody@example.com', true)).toBe(false);
    expect(await removeUser(store.db, 'alice@example.com')).toBe(true);
    expect(await removeUser(store.db, 'alice@example.com')).toBe(false);
    expect(await listUsers(store.db)).toEqual([]);
  });

  it('keeps a removed user traffic totals', async () => {
    const { nodeId } = await createNode(store.db, store.fernet, 'edge-1');
    await addUser(store.db, 'alice@example.com');
    await applyTrafficReport(store.db, nodeId, {
      bootId: 'b1',
      seq: 1,
      node: { up: 10, down: 20 },
      users: { 'alice@example.com': { up: 1, down: 2 } },
    });
    await removeUser(store.db, 'alice@example.com');
    expect(await trafficTotals(store.db, { email: 'alice@example.com' })).toEqual([
      { nodeId, email: 'alice@example.com', up: 1n, down: 2n },
    ]);
  });
});
