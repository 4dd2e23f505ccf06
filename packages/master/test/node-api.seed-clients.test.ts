// Seed 000's own Python client and curl lines, unchanged, against a real `signet master` process,
// on SQLite and (when DATABASE_URL is set, always in CI: storeKinds) PostgreSQL; then the statuses of every
// failure the seed documents, and X-Signature instead of the body secret.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateFernetKey, signXray } from '@signet/auth';
import { processStore, type ProcessStore } from './support/api-clients.js';
import { runSignet, startService, type Service } from './support/process.js';
import { storeKinds } from './support/store.js';

const exec = promisify(execFile);
const support = (name: string) => fileURLToPath(new URL(`./support/${name}`, import.meta.url));
const stores = storeKinds().map((kind): 'SQLite' | 'PostgreSQL' =>
  kind === 'sqlite' ? 'SQLite' : 'PostgreSQL',
);

// Each run in a store of its own (for PostgreSQL a schema of its own, named by the search_path).
describe.each(stores)('master node API on %s', (kind) => {
  let store: ProcessStore;
  let data = '';
  let env: Record<string, string | undefined> = {};
  let master: Service;
  const nodeAdd = (name: string) => {
    const result = runSignet(['node', 'add', `${name}-${Date.now()}`, '--data', data, '--json'], env);
    expect(result.status, result.stderr).toBe(0);
    return JSON.parse(result.stdout) as { nodeId: number; token: string };
  };
  const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${master.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: response.status, json: (await response.json()) as any };
  };

  beforeAll(async () => {
    store = await processStore(kind, { ENCRYPTION_KEY: generateFernetKey(), REDIS_URL: undefined });
    ({ data, env } = store);
    master = await startService(['master', '--port', '0', '--data', data, '--heartbeat-limit', '30'], env);
  });
  afterAll(async () => {
    await master?.stop();
    await store?.dispose();
  });

  it("the seed's XrayClusterClient registers, heartbeats and pulls its config", async () => {
    const { nodeId, token } = nodeAdd('py');
    const { stdout } = await exec('python3', [support('seed_cluster_client.py'), master.url, token]);
    const [register, heartbeat, config, wrong, replayed] = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(register.register).toMatchObject({
      node_id: nodeId,
      api_secret: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      hidden_path: expect.any(String),
      config: {
        enable_vless: true,
        enable_splithttp: expect.any(Boolean),
        enable_hysteria2: expect.any(Boolean),
        max_users: expect.any(Number),
      },
    });
    expect(heartbeat).toEqual({ heartbeat: { status: 'ok' } });
    expect(config.config).toMatchObject({ config_version: expect.stringMatching(/^[0-9a-f]{16}$/) });
    expect(JSON.parse(config.config.xray_config).inbounds.length).toBeGreaterThan(0);
    expect(wrong.wrong).toEqual({ error: expect.any(String) });
    expect(replayed.replayed_token).toEqual({ error: 'Token无效' });
  });

  it("the seed's curl lines register and heartbeat", async () => {
    const { token } = nodeAdd('curl');
    const registered = await exec('bash', [support('seed-curl.sh')], {
      env: { ...process.env, MASTER_URL: master.url, NODE_TOKEN: token },
    });
    const { node_id, api_secret } = JSON.parse(registered.stdout) as { node_id: number; api_secret: string };
    const beat = await exec('bash', [support('seed-curl-heartbeat.sh')], {
      env: { ...process.env, MASTER_URL: master.url, API_SECRET: api_secret, NODE_ID: String(node_id) },
    });
    expect(JSON.parse(beat.stdout)).toEqual({ status: 'ok' });
  });

  it('X-Signature over the body authenticates heartbeats and config pulls; replays and forgeries are refused', async () => {
    const { token } = nodeAdd('sig');
    const registered = (await post('/api/node/register', { token, timestamp: Math.floor(Date.now() / 1000) }))
      .json;
    const body = JSON.stringify({
      node_id: registered.node_id,
      timestamp: Math.floor(Date.now() / 1000),
      stats: { uptime: 5 },
    });
    const signature = signXray(body, registered.api_secret).signature;
    expect(await post('/api/node/heartbeat', body, { 'x-signature': signature })).toEqual({
      status: 200,
      json: { status: 'ok' },
    });
    expect((await post('/api/node/heartbeat', body, { 'x-signature': signature })).status).toBe(401); // replay
    expect(
      (
        await post('/api/node/heartbeat', body.replace('"uptime":5', '"uptime":6'), {
          'x-signature': signature,
        })
      ).status,
    ).toBe(401);
    const stale = JSON.stringify({
      node_id: registered.node_id,
      timestamp: Math.floor(Date.now() / 1000) - 3600,
    });
    expect(
      (
        await post('/api/node/heartbeat', stale, {
          'x-signature': signXray(stale, registered.api_secret).signature,
        })
      ).status,
    ).toBe(401);
    const pull = JSON.stringify({ node_id: registered.node_id, timestamp: Math.floor(Date.now() / 1000) });
    const config = await post('/api/node/config', pull, {
      'x-signature': signXray(pull, registered.api_secret).signature,
    });
    expect(config.status).toBe(200);
    expect(config.json.config_version).toMatch(/^[0-9a-f]{16}$/);
  });

  it.each([
    ['register without a token', '/api/node/register', { timestamp: 1 }, 400],
    ['register with a wrong type', '/api/node/register', { token: 5, timestamp: 1 }, 400],
    [
      'register with an unknown token',
      '/api/node/register',
      { token: 'nope', timestamp: Math.floor(Date.now() / 1000) },
      401,
    ],
    ['heartbeat without node_id', '/api/node/heartbeat', { api_secret: 'x' }, 400],
    ['heartbeat for an unknown node', '/api/node/heartbeat', { node_id: 999999, api_secret: 'x' }, 401],
    ['config with a string node_id', '/api/node/config', { node_id: '1', api_secret: 'x' }, 400],
    ['malformed JSON', '/api/node/config', '{"node_id": ', 400],
  ])('%s: %s → %i with {"error": …}', async (_what, path, body, status) => {
    const result = await post(path, body);
    expect(result.status).toBe(status);
    expect(Object.keys(result.json)).toEqual(['error']);
  });

  it('413 for an oversize body', async () => {
    const result = await post('/api/node/heartbeat', { node_id: 1, api_secret: 'x'.repeat(1_100_000) });
    expect(result.status).toBe(413);
    expect(result.json).toEqual({ error: expect.any(String) });
  });
});
