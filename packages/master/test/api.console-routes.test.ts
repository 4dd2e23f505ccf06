// The routes the console's charts and share dialog read, over real HTTP: traffic over time (dense
// buckets, in total and per node) and a user's vless:// links, checked against the core config the
// master generates for the same node.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addUser,
  applyTrafficReport,
  createNode,
  recordHeartbeat,
  updateSettings,
} from '../src/store/index.js';
import { type ApiMaster, bearerRequest, loginAdmin, startApiMaster } from './support/api-master.js';

let api: ApiMaster;
let token: string;
beforeAll(async () => {
  api = await startApiMaster('sqlite');
  token = await loginAdmin(api);
});
afterAll(async () => api?.close());

const get = (path: string) => bearerRequest(api, token, 'GET', `/v1/web${path}`);

describe('GET /v1/web/cluster/traffic', () => {
  it('answers every bucket of the range, oldest first, the bytes counted now in the last one', async () => {
    // The reports and the reads must fall in one minute bucket: never start in a minute's last seconds.
    const intoMinute = Date.now() % 60_000;
    if (intoMinute > 50_000) await new Promise((resolve) => setTimeout(resolve, 60_100 - intoMinute));
    const a = (await createNode(api.master.db, api.fernet, 'chart-a')).nodeId;
    const b = (await createNode(api.master.db, api.fernet, 'chart-b')).nodeId;
    await applyTrafficReport(api.master.db, a, { bootId: 'x', seq: 1, node: { up: 100, down: 1000 } });
    await applyTrafficReport(api.master.db, b, { bootId: 'y', seq: 1, node: { up: 5, down: 50 } });

    for (const [range, buckets, seconds] of [
      ['hour', 60, 60],
      ['day', 24, 3600],
      ['month', 30, 86400],
    ] as const) {
      const answer = await get(`/cluster/traffic?range=${range}`);
      expect(answer.status).toBe(200);
      const data = answer.json.data;
      expect(data).toMatchObject({ range, bucketSeconds: seconds });
      expect(data.total.points).toHaveLength(buckets);
      const starts = data.total.points.map((p: { at: string }) => Date.parse(p.at));
      expect(starts[0]).toBe(Date.parse(data.from));
      expect(starts.at(-1) + seconds * 1000).toBe(Date.parse(data.to));
      for (let i = 1; i < starts.length; i++) expect(starts[i] - starts[i - 1]).toBe(seconds * 1000);
      expect(Date.now()).toBeGreaterThanOrEqual(starts.at(-1));
      expect(data.total.points.at(-1)).toMatchObject({ up: '105', down: '1050' });
      expect(data.total.points.slice(0, -1).every((p: any) => p.up === '0' && p.down === '0')).toBe(true);
      const byName = Object.fromEntries(data.nodes.map((n: any) => [n.name, n.points.at(-1)]));
      expect(byName).toMatchObject({
        'chart-a': { up: '100', down: '1000' },
        'chart-b': { up: '5', down: '50' },
      });
    }
    expect((await get('/cluster/traffic')).json.data.range).toBe('hour');
  });

  it('refuses an unknown range in the envelope', async () => {
    const answer = await get('/cluster/traffic?range=year');
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ code: 40000, data: null });
  });
});

describe('GET /v1/web/users/:email/links', () => {
  it("gives one vless:// link per VLESS inbound, matching the node's generated config", async () => {
    const { nodeId } = await createNode(api.master.db, api.fernet, 'share-1');
    await updateSettings(api.master.db, nodeId, { enable_xhttp: true, port: 8443, ws_port: 2053 });
    await recordHeartbeat(api.master.db, nodeId, {
      workerUrl: 'http://203.0.113.7:9090',
      coreFlavour: 'v2ray',
    });
    const user = await addUser(api.master.db, 'share@example.com');

    const answer = await get(`/users/${encodeURIComponent(user.email)}/links`);
    expect(answer.status).toBe(200);
    const links = answer.json.data.filter((l: { nodeId: number }) => l.nodeId === nodeId);
    expect(links.map((l: { transport: string }) => l.transport)).toEqual(['tcp', 'ws']);

    const config = JSON.parse((await get(`/nodes/${nodeId}/config`)).json.data.config);
    const inbound = (tag: string) => config.inbounds.find((i: { tag: string }) => i.tag === tag);
    for (const [link, tag] of [
      [links[0], 'vless-tcp'],
      [links[1], 'vless-ws'],
    ]) {
      const uri = new URL(link.uri);
      const server = inbound(tag);
      expect(server, `inbound ${tag}`).toBeDefined();
      expect(uri.protocol).toBe('vless:');
      expect(uri.username).toBe(user.id);
      expect(server.settings.clients.map((c: { id: string }) => c.id)).toContain(user.id);
      expect(uri.hostname).toBe('203.0.113.7');
      expect(Number(uri.port)).toBe(server.port);
      expect(uri.searchParams.get('type')).toBe(server.streamSettings.network);
      expect(uri.searchParams.get('security')).toBe('none');
      expect(uri.searchParams.get('encryption')).toBe('none');
      if (tag === 'vless-ws')
        expect(uri.searchParams.get('path')).toBe(server.streamSettings.wsSettings.path);
    }
    expect(decodeURIComponent(new URL(links[0].uri).hash.slice(1))).toBe('share-1 (share@example.com)');
  });

  it('a node that advertised no address has no links; an unknown user is 404', async () => {
    await createNode(api.master.db, api.fernet, 'no-address');
    const user = await addUser(api.master.db, 'lonely@example.com');
    const links = (await get(`/users/${user.email}/links`)).json.data;
    expect(links.some((l: { nodeName: string }) => l.nodeName === 'no-address')).toBe(false);
    const missing = await get('/users/nobody@example.com/links');
    expect(missing.status).toBe(404);
    expect(missing.json).toMatchObject({ code: 40400 });
  });
});
