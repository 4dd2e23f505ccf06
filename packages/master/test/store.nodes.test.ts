// Nodes in the store, on SQLite and PostgreSQL: one-time, expiring registration tokens stored only as
// hashes; API secrets stored only Fernet-encrypted; settings with the seed's names; heartbeats and
// the online/offline state derived from them.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import {
  createNode,
  deleteNode,
  getApiSecret,
  getNode,
  getNodeByName,
  isNodeOnline,
  issueRegistrationToken,
  listNodes,
  openDatabase,
  recordHeartbeat,
  redeemToken,
  setApiSecret,
  updateSettings,
  DEFAULT_NODE_SETTINGS,
  SQLITE_FILE_NAME,
  seedNodeConfig,
} from '../src/store/index.js';
import { storeKinds, useTestStore } from './support/store.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const HOUR = 3_600_000;

describe.each(storeKinds())('store nodes (%s)', (kind) => {
  const store = useTestStore(kind);

  it('creates a node with defaults, a hidden path and a token stored only as its SHA-256', async () => {
    const { nodeId, token, expiresAt } = await createNode(store.db, store.fernet, 'edge-1');
    expect(nodeId).toBeGreaterThan(0);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(expiresAt.getTime()).toBeGreaterThan(Date.now() + 23 * HOUR);
    const node = await getNode(store.db, nodeId);
    expect(node).toMatchObject({
      id: nodeId,
      name: 'edge-1',
      settings: DEFAULT_NODE_SETTINGS,
      registeredAt: null,
    });
    expect(node!.hiddenPath).toMatch(/^[0-9a-f]{24}$/);
    expect(node!.online).toBe(false);
    const rows = await store.db.selectFrom('registration_tokens').selectAll().execute();
    expect(rows.map((r) => r.token_hash)).toEqual([sha256(token)]);
    expect(JSON.stringify(rows, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))).not.toContain(
      token,
    );
  });

  it('redeems a token exactly once and marks the node registered', async () => {
    const { nodeId, token } = await createNode(store.db, store.fernet, 'edge-1');
    const now = new Date();
    expect(await redeemToken(store.db, token, now)).toBe(nodeId);
    expect(await redeemToken(store.db, token, now)).toBeNull();
    expect((await getNode(store.db, nodeId))!.registeredAt).toEqual(now);
  });

  it('refuses expired, unknown and malformed tokens', async () => {
    const t0 = new Date('2030-01-01T00:00:00Z');
    const { nodeId, token } = await createNode(
      store.db,
      store.fernet,
      'edge-1',
      {},
      { ttlMs: HOUR, now: t0 },
    );
    expect(await redeemToken(store.db, token, new Date(t0.getTime() + HOUR))).toBeNull();
    const again = await issueRegistrationToken(store.db, nodeId, { ttlMs: HOUR, now: t0 });
    expect(await redeemToken(store.db, `${again.token}x`, t0)).toBeNull();
    expect(await redeemToken(store.db, '', t0)).toBeNull();
    expect(await redeemToken(store.db, 42 as unknown as string, t0)).toBeNull();
    expect(await redeemToken(store.db, again.token, new Date(t0.getTime() + HOUR - 1))).toBe(nodeId);
  });

  it('defaults the token lifetime to 24 hours', async () => {
    const t0 = new Date('2030-01-01T00:00:00Z');
    const a = await createNode(store.db, store.fernet, 'a', {}, { now: t0 });
    const b = await createNode(store.db, store.fernet, 'b', {}, { now: t0 });
    expect(a.expiresAt).toEqual(new Date(t0.getTime() + 24 * HOUR));
    expect(await redeemToken(store.db, a.token, new Date(t0.getTime() + 24 * HOUR - 1))).toBe(a.nodeId);
    expect(await redeemToken(store.db, b.token, new Date(t0.getTime() + 24 * HOUR))).toBeNull();
  });

  it('keeps the API secret only as a Fernet token under the store key', async () => {
    const { nodeId } = await createNode(store.db, store.fernet, 'edge-1');
    const generated = await getApiSecret(store.db, store.fernet, nodeId);
    expect(generated).toMatch(/^[0-9a-f]{64}$/);
    const secret = 'a-rotated-secret-0123456789';
    await setApiSecret(store.db, store.fernet, nodeId, secret);
    expect(await getApiSecret(store.db, store.fernet, nodeId)).toBe(secret);
    const { api_secret } = await store.db.selectFrom('nodes').select('api_secret').executeTakeFirstOrThrow();
    expect(api_secret).not.toContain(secret);
    expect(store.fernet.decryptText(api_secret)).toBe(secret);
    expect(await getApiSecret(store.db, store.fernet, nodeId + 1000)).toBeNull();
    await expect(setApiSecret(store.db, store.fernet, nodeId + 1000, secret)).rejects.toMatchObject({
      code: 'NODE_NOT_FOUND',
    });
  });

  it('refuses bad and duplicate names', async () => {
    await createNode(store.db, store.fernet, 'edge-1');
    await expect(createNode(store.db, store.fernet, 'edge-1')).rejects.toMatchObject({
      code: 'NODE_NAME_TAKEN',
    });
    for (const name of ['', ' edge', 'a/b', 'x'.repeat(65), '-lead']) {
      await expect(createNode(store.db, store.fernet, name)).rejects.toMatchObject({
        code: 'NODE_NAME_INVALID',
      });
    }
    expect((await listNodes(store.db)).map((n) => n.name)).toEqual(['edge-1']);
    expect((await getNodeByName(store.db, 'edge-1'))!.name).toBe('edge-1');
    expect(await getNodeByName(store.db, 'nope')).toBeNull();
  });

  it('stores settings under the seed names, with enable_splithttp as an alias of enable_xhttp', async () => {
    const { nodeId } = await createNode(store.db, store.fernet, 'edge-1', {
      enable_splithttp: true,
      max_users: 5,
    });
    expect((await getNode(store.db, nodeId))!.settings).toMatchObject({ enable_xhttp: true, max_users: 5 });
    const updated = await updateSettings(store.db, nodeId, {
      enable_splithttp: false,
      port: 8443,
      ws_port: 9443,
    });
    expect(updated).toMatchObject({ enable_xhttp: false, port: 8443, ws_port: 9443, max_users: 5 });
    expect((await getNode(store.db, nodeId))!.settings).toEqual(updated);
    expect(seedNodeConfig(updated)).toEqual({
      enable_vless: true,
      enable_splithttp: false,
      enable_hysteria2: false,
      max_users: 5,
    });
    const refused = [
      { enable_vles: true },
      { max_users: -1 },
      { max_users: 1.5 },
      { port: 0 },
      { ws_port: 70000 },
      { enable_vless: 'yes' },
      { enable_xhttp: true, enable_splithttp: false },
      { tls_cert_file: '/etc/cert.pem' },
      { enable_xhttp: true, ws_port: 8443 },
    ];
    for (const input of refused) {
      await expect(updateSettings(store.db, nodeId, input as never)).rejects.toMatchObject({
        code: 'NODE_SETTINGS_INVALID',
      });
    }
    expect((await getNode(store.db, nodeId))!.settings).toEqual(updated);
    await expect(updateSettings(store.db, nodeId + 1000, {})).rejects.toMatchObject({
      code: 'NODE_NOT_FOUND',
    });
  });

  it('records heartbeats and derives online from their age (3 intervals)', async () => {
    const { nodeId } = await createNode(store.db, store.fernet, 'edge-1');
    const t0 = new Date('2030-01-01T00:00:00Z');
    const stats = { uptime: 86400, connections: 15, traffic_up: 1073741824, traffic_down: 5368709120 };
    const heartbeat = {
      stats,
      coreStatus: 'running',
      configVersion: '0123456789abcdef',
      coreFlavour: 'v2ray',
      coreVersion: '4.34.0',
      workerUrl: 'http://10.0.0.2:9090',
    };
    expect(await recordHeartbeat(store.db, nodeId, heartbeat, t0)).toBe(true);
    const at = (ms: number) => ({ now: new Date(t0.getTime() + ms) });
    expect(await getNode(store.db, nodeId, at(180_000))).toMatchObject({
      lastHeartbeatAt: t0,
      lastStats: stats,
      coreStatus: 'running',
      configVersion: '0123456789abcdef',
      coreFlavour: 'v2ray',
      coreVersion: '4.34.0',
      workerUrl: 'http://10.0.0.2:9090',
      online: true,
    });
    expect((await getNode(store.db, nodeId, at(180_001)))!.online).toBe(false);
    expect((await listNodes(store.db, { ...at(250_000), heartbeatIntervalMs: 100_000 }))[0]!.online).toBe(
      true,
    );
    expect(isNodeOnline(null)).toBe(false);

    // Omitted fields keep their values; touch=false stores fields without counting as a heartbeat.
    const t1 = new Date(t0.getTime() + 60_000);
    await recordHeartbeat(store.db, nodeId, { coreStatus: 'stopped' }, t1);
    await recordHeartbeat(
      store.db,
      nodeId,
      { coreVersion: '4.34.1' },
      new Date(t0.getTime() + 999_999),
      false,
    );
    expect(await getNode(store.db, nodeId)).toMatchObject({
      lastHeartbeatAt: t1,
      coreStatus: 'stopped',
      coreVersion: '4.34.1',
      lastStats: stats,
    });
    expect(await recordHeartbeat(store.db, nodeId + 1000, {}, t1)).toBe(false);
  });

  it('refuses malformed heartbeat fields and changes nothing', async () => {
    const { nodeId } = await createNode(store.db, store.fernet, 'edge-1');
    const bad = [
      { stats: [1, 2] },
      { stats: { deep: 'x'.repeat(20_000) } },
      { stats: { f: () => 1 } },
      { coreStatus: 'x'.repeat(65) },
      { coreStatus: 'run\nning' },
      { workerUrl: 'ftp://x' },
      { coreVersion: 4 },
    ];
    for (const heartbeat of bad) {
      await expect(recordHeartbeat(store.db, nodeId, heartbeat as never)).rejects.toMatchObject({
        code: 'HEARTBEAT_INVALID',
      });
    }
    expect((await getNode(store.db, nodeId))!.lastHeartbeatAt).toBeNull();
  });

  it('keeps counters past 2^53 in stats exactly as text', async () => {
    const { nodeId } = await createNode(store.db, store.fernet, 'edge-1');
    await recordHeartbeat(store.db, nodeId, { stats: { traffic_up: 2n ** 63n - 1n } });
    const { last_stats } = await store.db.selectFrom('nodes').select('last_stats').executeTakeFirstOrThrow();
    expect(last_stats).toBe('{"traffic_up":9223372036854775807}');
  });

  it('deletes a node with its tokens', async () => {
    const { nodeId, token } = await createNode(store.db, store.fernet, 'edge-1');
    expect(await deleteNode(store.db, nodeId)).toBe(true);
    expect(await deleteNode(store.db, nodeId)).toBe(false);
    expect(await redeemToken(store.db, token)).toBeNull();
    expect(await store.db.selectFrom('registration_tokens').selectAll().execute()).toEqual([]);
    // Ids are not reused: a worker still holding the old id must not become the new node.
    const next = await createNode(store.db, store.fernet, 'edge-1');
    expect(next.nodeId).toBeGreaterThan(nodeId);
  });

  it('reopens an existing store without migrating twice, data intact', async () => {
    const { nodeId } = await createNode(store.db, store.fernet, 'edge-1');
    const again = await openDatabase(store.options);
    try {
      expect((await getNode(again, nodeId))!.name).toBe('edge-1');
      const migrations = await again
        .selectFrom('kysely_migration' as never)
        .selectAll()
        .execute();
      expect(migrations.map((m) => (m as { name: string }).name).sort()).toEqual([
        '001-initial',
        '002-accounts',
        '003-traffic-history',
        '004-node-tls',
        '005-node-secret-rotation',
      ]); // each once
    } finally {
      await again.destroy();
    }
  });
});

describe('openDatabase on SQLite', () => {
  it('creates <dataDir>/master.db for its owner only, in WAL mode with foreign keys on', async () => {
    const root = mkdtempSync(join(tmpdir(), 'signet-sqlite-'));
    const dataDir = join(root, 'data');
    const db = await openDatabase({ dataDir });
    try {
      expect(statSync(dataDir).mode & 0o777).toBe(0o700);
      expect(statSync(join(dataDir, SQLITE_FILE_NAME)).mode & 0o777).toBe(0o600);
      const pragma = async (name: string) =>
        Object.values((await sql.raw(`pragma ${name}`).execute(db)).rows[0] as object)[0];
      await expect(pragma('journal_mode')).resolves.toBe('wal');
      expect(String(await pragma('foreign_keys'))).toBe('1');
      expect(Number(await pragma('busy_timeout'))).toBe(5000);
    } finally {
      await db.destroy();
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('openDatabase options', () => {
  it('refuses a non-PostgreSQL URL without repeating it', async () => {
    const error = await openDatabase({
      dataDir: '/nonexistent',
      databaseUrl: 'mysql://u:hunter2@db/x',
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'STORE_OPTIONS_INVALID' });
    expect(String((error as Error).message)).not.toContain('hunter2');
  });

  it('refuses a schema that is not a plain identifier, and a schema for SQLite', async () => {
    await expect(
      openDatabase({ dataDir: '/x', databaseUrl: 'postgres://h/db', schema: 'a; drop table x' }),
    ).rejects.toMatchObject({ code: 'STORE_OPTIONS_INVALID' });
    await expect(openDatabase({ dataDir: '/x', schema: 'abc' })).rejects.toMatchObject({
      code: 'STORE_OPTIONS_INVALID',
    });
  });
});
