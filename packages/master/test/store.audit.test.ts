// The audit log in the store, on SQLite and PostgreSQL: events recorded with long fields cut, read
// newest first with filters (actor, kind, exact or prefix action, result, time range) and id-cursor
// pages, and pruned by age.
import { describe, expect, it } from 'vitest';
import { listAudit, pruneAudit, recordAudit, type AuditEventInput } from '../src/store/index.js';
import { storeKinds, useTestStore } from './support/store.js';

const T0 = new Date('2030-01-01T00:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

describe.each(storeKinds())('store audit log (%s)', (kind) => {
  const store = useTestStore(kind);

  const seed = async () => {
    const events: AuditEventInput[] = [
      {
        actorKind: 'admin',
        actor: 'alice',
        action: 'admin.login',
        result: 'ok',
        source: '10.0.0.1',
        status: 200,
        at: at(1),
      },
      {
        actorKind: 'admin',
        actor: 'alice',
        action: 'node.create',
        target: 'edge-1',
        result: 'ok',
        at: at(2),
      },
      {
        actorKind: 'access-key',
        actor: '5e685006656cfc80',
        action: 'node.delete',
        target: 'edge-1',
        result: 'denied',
        status: 403,
        at: at(3),
      },
      { actorKind: 'internal', actor: 'internal', action: 'user.hello-world', result: 'ok', at: at(4) },
      {
        actorKind: 'anonymous',
        actor: '',
        action: 'admin.login',
        result: 'failed',
        detail: 'bad password',
        status: 401,
        at: at(5),
      },
      { actorKind: 'admin', actor: 'bob', action: 'nodeXcreate', result: 'ok', at: at(6) },
    ];
    for (const event of events) await recordAudit(store.db, event);
  };

  it('records events and reads them back newest first', async () => {
    await seed();
    const { events, nextBefore } = await listAudit(store.db);
    expect(nextBefore).toBeNull();
    expect(events.map((e) => e.at.getTime() - T0.getTime())).toEqual([6, 5, 4, 3, 2, 1]);
    expect(events[5]).toEqual({
      id: expect.any(Number),
      at: at(1),
      actorKind: 'admin',
      actor: 'alice',
      action: 'admin.login',
      target: null,
      source: '10.0.0.1',
      result: 'ok',
      status: 200,
      detail: null,
    });
    expect(events[3]).toMatchObject({
      actorKind: 'access-key',
      target: 'edge-1',
      result: 'denied',
      status: 403,
    });
    expect(Object.isFrozen(events[0])).toBe(true);
    const ids = events.map((e) => e.id);
    expect([...ids].sort((a, b) => b - a)).toEqual(ids);
  });

  it('filters by actor, kind, action (exact or prefix), result and time', async () => {
    await seed();
    const actions = async (query: Parameters<typeof listAudit>[1]) =>
      (await listAudit(store.db, query)).events.map((e) => `${e.actor}:${e.action}`);
    expect(await actions({ actor: 'alice' })).toEqual(['alice:node.create', 'alice:admin.login']);
    expect(await actions({ actorKind: 'admin' })).toEqual([
      'bob:nodeXcreate',
      'alice:node.create',
      'alice:admin.login',
    ]);
    expect(await actions({ action: 'admin.login' })).toEqual([':admin.login', 'alice:admin.login']);
    expect(await actions({ action: 'node.*' })).toEqual([
      '5e685006656cfc80:node.delete',
      'alice:node.create',
    ]);
    // A prefix is literal: '_' and '%' match themselves only, and case counts.
    expect(await actions({ action: 'node_*' })).toEqual([]);
    expect(await actions({ action: 'NODE.*' })).toEqual([]);
    expect(await actions({ action: '*' })).toHaveLength(6);
    expect(await actions({ result: 'denied' })).toEqual(['5e685006656cfc80:node.delete']);
    expect(await actions({ since: at(3), until: at(5) })).toEqual([
      'internal:user.hello-world',
      '5e685006656cfc80:node.delete',
    ]);
    expect(await actions({ actorKind: 'admin', action: 'admin.*', result: 'ok' })).toEqual([
      'alice:admin.login',
    ]);
  });

  it('pages by id cursor until nextBefore is null', async () => {
    for (let i = 0; i < 7; i++)
      await recordAudit(store.db, {
        actorKind: 'operator',
        actor: 'operator',
        action: `step.${i}`,
        result: 'ok',
      });
    const seen: string[] = [];
    let before: number | undefined;
    let pages = 0;
    for (;;) {
      const page = await listAudit(store.db, { limit: 3, ...(before === undefined ? {} : { before }) });
      pages++;
      seen.push(...page.events.map((e) => e.action));
      if (page.nextBefore === null) break;
      expect(page.nextBefore).toBe(page.events[page.events.length - 1]!.id);
      before = page.nextBefore;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual([6, 5, 4, 3, 2, 1, 0].map((i) => `step.${i}`));
    // Exactly one page's worth: no further page announced.
    expect((await listAudit(store.db, { limit: 7 })).nextBefore).toBeNull();
    expect((await listAudit(store.db, { limit: 6 })).nextBefore).not.toBeNull();
  });

  it('cuts long fields rather than refusing them', async () => {
    await recordAudit(store.db, {
      actorKind: 'admin',
      actor: 'a'.repeat(500),
      action: 'b'.repeat(500),
      target: 'c'.repeat(500),
      source: 'd'.repeat(500),
      detail: '🔑'.repeat(3000),
      result: 'ok',
    });
    const [event] = (await listAudit(store.db)).events;
    expect(event!.actor).toBe('a'.repeat(200));
    expect(event!.action).toBe('b'.repeat(200));
    expect(event!.target).toBe('c'.repeat(200));
    expect(event!.source).toBe('d'.repeat(64));
    expect(event!.detail).toBe('🔑'.repeat(2000)); // whole characters, no broken surrogate pair
  });

  it('refuses unknown kinds, results and unusable queries', async () => {
    const base: AuditEventInput = { actorKind: 'admin', actor: 'alice', action: 'x', result: 'ok' };
    for (const event of [
      { ...base, actorKind: 'root' },
      { ...base, result: 'maybe' },
      { ...base, actor: 42 },
      { ...base, status: 20000 },
      { ...base, detail: {} },
    ]) {
      await expect(recordAudit(store.db, event as AuditEventInput)).rejects.toMatchObject({
        code: 'AUDIT_EVENT_INVALID',
      });
    }
    for (const query of [
      { limit: 0 },
      { limit: 501 },
      { limit: 1.5 },
      { actorKind: 'root' },
      { result: 'maybe' },
      { since: new Date(NaN) },
      { before: 'x' },
    ]) {
      await expect(listAudit(store.db, query as never)).rejects.toMatchObject({
        code: 'AUDIT_EVENT_INVALID',
      });
    }
    expect((await listAudit(store.db)).events).toEqual([]);
  });

  it('prunes events older than a time', async () => {
    await seed();
    expect(await pruneAudit(store.db, at(4))).toBe(3);
    expect((await listAudit(store.db)).events.map((e) => e.at)).toEqual([at(6), at(5), at(4)]);
    expect(await pruneAudit(store.db, at(4))).toBe(0);
  });
});
