// Named services (the holders of /v1/service tokens) in the store, on SQLite and PostgreSQL:
// names, scopes, upserts that keep creation and revocation times, token revocation, removal.
import { describe, expect, it } from 'vitest';
import {
  deleteService,
  getService,
  listServices,
  revokeServiceTokens,
  upsertService,
} from '../src/store/index.js';
import { storeKinds, useTestStore } from './support/store.js';

const T0 = new Date('2030-01-01T00:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

describe.each(storeKinds())('store services (%s)', (kind) => {
  const store = useTestStore(kind);

  it('creates services, lists them by name and reads them back', async () => {
    const billing = await upsertService(store.db, 'billing', 'read-write', { now: T0 });
    const audit = await upsertService(store.db, 'audit-exporter', 'read-only', { now: at(1) });
    expect(billing).toEqual({ name: 'billing', scope: 'read-write', createdAt: T0, tokensValidAfter: T0 });
    expect(Object.isFrozen(billing)).toBe(true);
    expect(await listServices(store.db)).toEqual([audit, billing]);
    expect(await getService(store.db, 'billing')).toEqual(billing);
    expect(await getService(store.db, 'nobody')).toBeNull();
  });

  it('changes the scope of an existing service, keeping its times', async () => {
    await upsertService(store.db, 'billing', 'read-write', { now: T0 });
    await revokeServiceTokens(store.db, 'billing', { now: at(500) });
    const updated = await upsertService(store.db, 'billing', 'read-only', { now: at(1000) });
    expect(updated).toEqual({
      name: 'billing',
      scope: 'read-only',
      createdAt: T0,
      tokensValidAfter: at(500),
    });
    expect(await listServices(store.db)).toEqual([updated]);
  });

  it('revokes tokens issued until now', async () => {
    await upsertService(store.db, 'billing', 'read-write', { now: T0 });
    expect(await revokeServiceTokens(store.db, 'billing', { now: at(60_000) })).toBe(true);
    expect((await getService(store.db, 'billing'))!.tokensValidAfter).toEqual(at(60_000));
    expect(await revokeServiceTokens(store.db, 'nobody')).toBe(false);
  });

  it('refuses bad names and scopes', async () => {
    for (const name of ['', '.hidden', 'a b', 'a@b', 'x'.repeat(65), 'é']) {
      await expect(upsertService(store.db, name, 'read-only')).rejects.toMatchObject({
        code: 'SERVICE_NAME_INVALID',
      });
    }
    await expect(upsertService(store.db, 'billing', 'admin' as never)).rejects.toMatchObject({
      code: 'ACCESS_KEY_INVALID',
    });
    expect(await upsertService(store.db, `A${'x'.repeat(63)}`, 'read-only')).toMatchObject({
      scope: 'read-only',
    });
    expect(await listServices(store.db)).toHaveLength(1);
  });

  it('deletes services', async () => {
    await upsertService(store.db, 'billing', 'read-write');
    expect(await deleteService(store.db, 'billing')).toBe(true);
    expect(await deleteService(store.db, 'billing')).toBe(false);
    expect(await getService(store.db, 'billing')).toBeNull();
  });
});
