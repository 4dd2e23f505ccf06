// The cluster's resources (summary, nodes, proxy users) through the AK/SK OpenAPI (/api/v1, TEM
// envelope) and through /v1/web ({code, message, data}): the same operations, the same answers in
// each family's envelope; invalid input is 400 and changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ApiMaster,
  bearerRequest,
  type Key,
  loginAdmin,
  newKey,
  type Response,
  startApiMaster,
  storeSnapshot,
  temFail,
  temRequest,
  unixTime,
  v1Fail,
} from './support/api-master.js';
import { storeKinds } from './support/store.js';

interface Family {
  readonly name: string;
  readonly prefix: string;
  readonly ok: (data: unknown) => object;
  readonly fail: (code: number, message: string) => object;
  connect(api: ApiMaster): Promise<(method: string, path: string, body?: string) => Promise<Response>>;
}

const FAMILIES: Family[] = [
  {
    name: '/api/v1 (TEM-AUTH)',
    prefix: '/api/v1',
    ok: (data) => ({ Data: data, Success: true }),
    fail: temFail,
    connect: async (api) => {
      const key: Key = await newKey(api, 'L3.SHA256', 'read-write');
      // Each call a different time inside the window: these tests repeat writes on purpose (a
      // duplicate name, say), and the same signed write twice in one second is a replay.
      let n = 0;
      return (method, path, body) =>
        temRequest(api, key, method, `/api/v1${path}`, body, { timestamp: unixTime(-(n++ % 250)) });
    },
  },
  {
    name: '/v1/web (admin JWT)',
    prefix: '/v1/web',
    ok: (data) => ({ code: 20000, message: '', data }),
    fail: v1Fail,
    connect: async (api) => {
      const token = await loginAdmin(api);
      return (method, path, body) => bearerRequest(api, token, method, `/v1/web${path}`, body);
    },
  },
];

const DEFAULT_SETTINGS = {
  enable_vless: true,
  enable_xhttp: false,
  enable_hysteria2: false,
  max_users: 100,
  port: 443,
  ws_port: 8443,
  tls_cert_file: null,
  tls_key_file: null,
};
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const NO_WORKER = 'the node has not reported a Worker API address yet (is its worker running?)';

describe.each(storeKinds())('resources on %s', (kind) => {
  describe.each(FAMILIES)('through $name', (family) => {
    let api: ApiMaster;
    let call: (method: string, path: string, body?: string) => Promise<Response>;
    beforeAll(async () => {
      api = await startApiMaster(kind);
      call = await family.connect(api);
    });
    afterAll(() => api?.close());

    const expectOk = (res: Response, data: unknown) => {
      expect(res.status, res.text).toBe(200);
      expect(res.json).toStrictEqual(family.ok(data));
    };
    const expectFail = (
      res: Response,
      status: number,
      code: number,
      message: string | RegExp,
      label = '',
    ) => {
      expect(res.status, `${label} -> ${res.text}`).toBe(status);
      const body = res.json as Record<string, unknown>;
      const text = (body['Message'] ?? body['message']) as string;
      expect(text).toMatch(typeof message === 'string' ? new RegExp(`^${escape(message)}$`) : message);
      expect(body).toStrictEqual(family.fail(code, text));
    };
    /** A refused call that must leave the store as it was. */
    const refused = async (
      method: string,
      path: string,
      body: string | undefined,
      status: number,
      code: number,
      message: string | RegExp,
    ) => {
      const before = await storeSnapshot(api, { ignoreKeyUsage: true });
      expectFail(await call(method, path, body), status, code, message, `${method} ${path} ${body ?? ''}`);
      expect(await storeSnapshot(api, { ignoreKeyUsage: true })).toStrictEqual(before);
    };

    let node1: any;
    let firstToken: string;

    it('summarizes an empty cluster', async () => {
      expectOk(await call('GET', '/cluster/summary'), {
        nodes: { total: 0, online: 0, offline: 0 },
        cores: {},
        users: { total: 0, enabled: 0 },
        traffic: { up: '0', down: '0' },
      });
    });

    it('creates nodes with a registration token and the worker command', async () => {
      const res = await call('POST', '/nodes', JSON.stringify({ name: 'edge-1' }));
      expect(res.status, res.text).toBe(200);
      const data = family.prefix === '/api/v1' ? res.json.Data : res.json.data;
      expectOk(res, {
        node: {
          id: 1,
          name: 'edge-1',
          online: false,
          hiddenPath: expect.any(String),
          settings: DEFAULT_SETTINGS,
          workerUrl: null,
          coreFlavour: null,
          coreVersion: null,
          coreStatus: null,
          configVersion: null,
          tlsPinned: false,
          tlsMismatchAt: null,
          secretRotation: { pendingSince: null, previousValidUntil: null },
          createdAt: expect.any(String),
          registeredAt: null,
          lastHeartbeatAt: null,
          stats: null,
          traffic: { up: '0', down: '0' },
        },
        token: expect.stringMatching(/^[A-Za-z0-9_-]{32,}$/),
        expiresAt: expect.any(String),
        workerCommand: `signet worker --master ${api.url} --token ${data.token}`,
      });
      const hours = (Date.parse(data.expiresAt) - Date.now()) / 3_600_000;
      expect(hours).toBeGreaterThan(23.9);
      expect(hours).toBeLessThanOrEqual(24);
      node1 = data.node;
      firstToken = data.token;
      const second = await call(
        'POST',
        '/nodes',
        JSON.stringify({ name: 'edge-2', settings: { port: 2083 } }),
      );
      expect(second.status).toBe(200);
      expect(second.json).toMatchObject(
        family.ok({ node: { id: 2, settings: { ...DEFAULT_SETTINGS, port: 2083 } } }),
      );
    });

    it('refuses a duplicate or invalid node, changing nothing', async () => {
      await refused('POST', '/nodes', JSON.stringify({ name: 'edge-1' }), 400, 40000, /.+/);
      await refused('POST', '/nodes', JSON.stringify({ name: '' }), 400, 40000, /.+/);
      await refused('POST', '/nodes', JSON.stringify({}), 400, 40000, /name/);
      await refused('POST', '/nodes', '{"name": ', 400, 40000, /.+/);
      await refused(
        'POST',
        '/nodes',
        JSON.stringify({ name: 'x', settings: { port: 0 } }),
        400,
        40000,
        /port/,
      );
    });

    it('gets and lists nodes', async () => {
      expectOk(await call('GET', '/nodes/1'), node1);
      const list = await call('GET', '/nodes');
      expect(list.status).toBe(200);
      const nodes = (list.json.Data ?? list.json.data) as { id: number; name: string }[];
      expect(nodes.map((n) => [n.id, n.name])).toStrictEqual([
        [1, 'edge-1'],
        [2, 'edge-2'],
      ]);
      expect(nodes[0]).toStrictEqual(node1);
      await refused('GET', '/nodes/99', undefined, 404, 40400, 'node not found');
      await refused('GET', '/nodes/abc', undefined, 400, 40000, /.+/);
    });

    it('updates settings, and refuses invalid settings with 400 and a message, changing nothing', async () => {
      const res = await call(
        'PUT',
        '/nodes/1/settings',
        JSON.stringify({ port: 2053, enable_splithttp: true }),
      );
      expectOk(res, { ...node1, settings: { ...DEFAULT_SETTINGS, port: 2053, enable_xhttp: true } });
      for (const body of [{ port: 70000 }, { port: 'x' }, { max_users: -1 }, {}]) {
        await refused('PUT', '/nodes/1/settings', JSON.stringify(body), 400, 40000, /.+/);
      }
      await refused('PUT', '/nodes/1/settings', 'not json', 400, 40000, /.+/);
      await refused('PUT', '/nodes/99/settings', JSON.stringify({ port: 1 }), 404, 40400, 'node not found');
    });

    it('issues a new registration token', async () => {
      const res = await call('POST', '/nodes/1/token');
      expect(res.status, res.text).toBe(200);
      const data = res.json.Data ?? res.json.data;
      expect(data.token).not.toBe(firstToken);
      expectOk(res, {
        token: expect.stringMatching(/^[A-Za-z0-9_-]{32,}$/),
        expiresAt: expect.any(String),
        workerCommand: `signet worker --master ${api.url} --token ${data.token}`,
      });
      await refused('POST', '/nodes/99/token', undefined, 404, 40400, 'node not found');
    });

    it("shows a node's generated config, which follows the users", async () => {
      const config = async () => {
        const res = await call('GET', '/nodes/1/config');
        expect(res.status, res.text).toBe(200);
        const data = res.json.Data ?? res.json.data;
        expect(Object.keys(data).sort()).toStrictEqual(['appliedVersion', 'config', 'configVersion']);
        expect(data.configVersion).toMatch(/^[0-9a-f]{16}$/);
        expect(data.appliedVersion).toBeNull();
        expect(typeof JSON.parse(data.config)).toBe('object');
        return data as { config: string; configVersion: string };
      };
      const empty = await config();
      const user = await call('POST', '/users', JSON.stringify({ email: 'cfg@x.io' }));
      const id = (user.json.Data ?? user.json.data).id as string;
      const withUser = await config();
      expect(withUser.config).toContain(id);
      expect(withUser.configVersion).not.toBe(empty.configVersion);
      await call('PUT', '/users/cfg@x.io', JSON.stringify({ enabled: false }));
      const disabled = await config();
      expect(disabled.config).not.toContain(id);
      expect(disabled.configVersion).toBe(empty.configVersion);
      await call('DELETE', '/users/cfg@x.io');
    });

    it('answers push-config, restart, logs and stats 409 while the node has no worker URL', async () => {
      for (const [method, path] of [
        ['POST', '/nodes/1/config'],
        ['POST', '/nodes/1/restart'],
        ['GET', '/nodes/1/logs'],
        ['GET', '/nodes/1/logs?lines=5'],
        ['GET', '/nodes/1/stats'],
      ] as const) {
        await refused(method, path, undefined, 409, 40900, NO_WORKER);
      }
      await refused('GET', '/nodes/1/logs?lines=0', undefined, 400, 40000, /.+/);
      await refused('POST', '/nodes/99/restart', undefined, 404, 40400, 'node not found');
    });

    it('manages proxy users', async () => {
      const created = await call('POST', '/users', JSON.stringify({ email: 'ann@x.io' }));
      const ann = created.json.Data ?? created.json.data;
      expectOk(created, {
        id: expect.stringMatching(UUID),
        email: 'ann@x.io',
        enabled: true,
        createdAt: expect.any(String),
        traffic: { up: '0', down: '0' },
      });
      const id = '0b0e8f5a-1c2d-4e3f-8a9b-0c1d2e3f4a5b';
      const bo = await call('POST', '/users', JSON.stringify({ email: 'bo@x.io', id, enabled: false }));
      expectOk(bo, {
        id,
        email: 'bo@x.io',
        enabled: false,
        createdAt: expect.any(String),
        traffic: { up: '0', down: '0' },
      });
      const list = await call('GET', '/users');
      const users = (list.json.Data ?? list.json.data) as { email: string }[];
      expect(users.map((u) => u.email).sort()).toStrictEqual(['ann@x.io', 'bo@x.io']);
      expectOk(await call('GET', '/users/ann@x.io'), ann);
      expectOk(await call('PUT', '/users/ann@x.io', '{"enabled":false}'), { ...ann, enabled: false });
      expectOk(await call('PUT', '/users/ann@x.io', '{"enabled":true}'), ann);
      expectOk(await call('GET', '/users/ann@x.io/traffic'), { total: { up: '0', down: '0' }, nodes: [] });
      expectOk(await call('GET', '/cluster/summary'), {
        nodes: { total: 2, online: 0, offline: 2 },
        cores: { offline: 2 },
        users: { total: 2, enabled: 1 },
        traffic: { up: '0', down: '0' },
      });
    });

    it('refuses invalid, duplicate and unknown users, changing nothing', async () => {
      await refused('POST', '/users', JSON.stringify({ email: 'not-an-email' }), 400, 40000, /email/);
      await refused('POST', '/users', JSON.stringify({ email: 'ann@x.io' }), 400, 40000, /.+/);
      await refused('POST', '/users', JSON.stringify({ email: 5 }), 400, 40000, /.+/);
      await refused(
        'POST',
        '/users',
        JSON.stringify({ email: 'c@x.io', id: 'not-a-uuid' }),
        400,
        40000,
        /.+/,
      );
      await refused('POST', '/users', '[', 400, 40000, /.+/);
      await refused('GET', '/users/nobody@x.io', undefined, 404, 40400, 'user not found');
      await refused('GET', '/users/nobody@x.io/traffic', undefined, 404, 40400, 'user not found');
      await refused('PUT', '/users/nobody@x.io', '{"enabled":false}', 404, 40400, 'user not found');
      await refused('PUT', '/users/ann@x.io', '{"enabled":"no"}', 400, 40000, /.+/);
      await refused('DELETE', '/users/nobody@x.io', undefined, 404, 40400, 'user not found');
    });

    it('deletes users and nodes', async () => {
      expectOk(await call('DELETE', '/users/bo@x.io'), { message: 'user deleted' });
      await refused('GET', '/users/bo@x.io', undefined, 404, 40400, 'user not found');
      expectOk(await call('DELETE', '/nodes/2'), { message: 'node deleted' });
      await refused('GET', '/nodes/2', undefined, 404, 40400, 'node not found');
      await refused('DELETE', '/nodes/2', undefined, 404, 40400, 'node not found');
      expectOk(await call('GET', '/cluster/summary'), {
        nodes: { total: 1, online: 0, offline: 1 },
        cores: { offline: 1 },
        users: { total: 1, enabled: 1 },
        traffic: { up: '0', down: '0' },
      });
    });

    // Last: while unknown fields are silently dropped (see the report), these create and change things.
    it('refuses unknown fields instead of dropping them (a typo must not be a silent no-op), changing nothing', async () => {
      await refused('PUT', '/nodes/1/settings', JSON.stringify({ prot: 8443 }), 400, 40000, /.+/);
      await refused(
        'PUT',
        '/nodes/1/settings',
        JSON.stringify({ port: 8443, unknown: true }),
        400,
        40000,
        /.+/,
      );
      await refused('POST', '/users', JSON.stringify({ email: 'c@x.io', admin: true }), 400, 40000, /.+/);
      await refused('POST', '/nodes', JSON.stringify({ name: 'n-extra', secret: 'x' }), 400, 40000, /.+/);
    });
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
