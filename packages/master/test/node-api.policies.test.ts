// The node API's policies on a real master: the seed's rate limits, strict signatures, the IP allowlist.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { generateFernetKey, signXray } from '@signet/auth';
import { runSignet, startService, type Service } from './support/process.js';

const env = { ENCRYPTION_KEY: generateFernetKey(), DATABASE_URL: undefined, REDIS_URL: undefined };
let master: Service | undefined;
afterEach(async () => {
  await master?.stop();
  master = undefined;
});

let data = '';
async function registeredNode(args: string[]) {
  data = mkdtempSync(join(tmpdir(), 'signet-policy-'));
  master = await startService(['master', '--port', '0', '--data', data, ...args], env);
  const { token } = JSON.parse(runSignet(['node', 'add', 'n1', '--data', data, '--json'], env).stdout) as {
    token: string;
  };
  const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${master!.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: response.status, json: (await response.json()) as any };
  };
  const registered = await post('/api/node/register', { token, timestamp: Math.floor(Date.now() / 1000) });
  return {
    post,
    nodeId: registered.json.node_id as number,
    secret: registered.json.api_secret as string,
    status: registered.status,
  };
}

describe('node API policies', () => {
  it('limits heartbeats per node per minute (the seed: 1/min, with a little tolerance)', async () => {
    const { post, nodeId, secret } = await registeredNode(['--heartbeat-limit', '3']);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++)
      statuses.push(
        (
          await post('/api/node/heartbeat', {
            node_id: nodeId,
            api_secret: secret,
            timestamp: Math.floor(Date.now() / 1000),
          })
        ).status,
      );
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const limited = await post('/api/node/heartbeat', { node_id: nodeId, api_secret: secret });
    expect(limited.json).toEqual({ error: expect.stringContaining('请求过于频繁') });
  });

  it('--strict-signatures refuses the body secret and accepts X-Signature', async () => {
    const { post, nodeId, secret } = await registeredNode(['--strict-signatures']);
    expect((await post('/api/node/heartbeat', { node_id: nodeId, api_secret: secret })).status).toBe(401);
    const body = JSON.stringify({ node_id: nodeId, timestamp: Math.floor(Date.now() / 1000) });
    expect(
      (await post('/api/node/heartbeat', body, { 'x-signature': signXray(body, secret).signature })).status,
    ).toBe(200);
  });

  it('--allow-ip refuses callers outside the ranges with 403', async () => {
    const refused = await registeredNode(['--allow-ip', '10.0.0.0/8']);
    expect(refused.status).toBe(403);
    await master!.stop();
    const allowed = await registeredNode(['--allow-ip', '10.0.0.0/8', '--allow-ip', '127.0.0.1']);
    expect(allowed.status).toBe(200);
  });

  it('`signet node token` lets a node register again; its old secret stops working', async () => {
    const { post, nodeId, secret } = await registeredNode([]);
    const issued = runSignet(['node', 'token', 'n1', '--data', data, '--json'], env);
    expect(issued.status, issued.stderr).toBe(0);
    const { token } = JSON.parse(issued.stdout) as { token: string };
    const again = await post('/api/node/register', { token, timestamp: Math.floor(Date.now() / 1000) });
    expect(again.json).toMatchObject({ node_id: nodeId, api_secret: expect.any(String) });
    expect(again.json.api_secret).not.toBe(secret);
    expect((await post('/api/node/config', { node_id: nodeId, api_secret: secret })).status).toBe(401);
    expect(
      (await post('/api/node/config', { node_id: nodeId, api_secret: again.json.api_secret })).status,
    ).toBe(200);
    expect(runSignet(['node', 'token', 'nope', '--data', data], env).status).toBe(2);
  });
});
