// The master's worker client against a real Worker API (the worker's routes and signature checks)
// on a socket, plus raw servers that misbehave: each outcome maps to its one error code, and the
// node's secret shows up in none of them.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WORKER_CLIENT_ERROR_CODES, WorkerClient, WorkerClientError } from '../src/worker-client/index.js';
import { type FakeNode, type WorkerApiApp, fakeNode, startWorkerApi } from './support/worker-api-app.js';

const secret = 'node-secret-3f9a1c77d2';
let node: FakeNode;
let worker: WorkerApiApp;
const client = (options: { secret?: string; timeoutMs?: number; baseUrl?: string } = {}) =>
  new WorkerClient({ baseUrl: worker.url, secret, ...options });

/** The rejection of `call`, checked to be a coded client error that never mentions the secret. */
async function failure(
  call: Promise<unknown>,
  secrets = [secret],
): Promise<WorkerClientError & Record<string, unknown>> {
  const error: unknown = await call.then(
    () => expect.fail('expected the call to fail'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WorkerClientError);
  const coded = error as WorkerClientError & Record<string, unknown>;
  expect(WORKER_CLIENT_ERROR_CODES).toContain(coded.code);
  const shown = [coded.message, String(coded), JSON.stringify(coded), coded.stack ?? '', String(coded.cause)];
  for (const text of shown) for (const s of secrets) expect(text).not.toContain(s);
  return coded;
}

/** A raw HTTP server on 127.0.0.1; closed after each test. */
const servers: Server[] = [];
async function rawServer(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  node = fakeNode(secret);
  worker = await startWorkerApi(node);
});
afterAll(() => worker.app.close());
afterEach(async () => {
  node.calls.length = 0;
  node.failRestart = false;
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

describe('WorkerClient round trips through the worker’s signature check', () => {
  it('restart, pushConfig, logs, stats and health answer what the node did', async () => {
    const workerClient = client();
    expect(await workerClient.restart()).toEqual({ message: 'Xray重启成功' });
    expect(await workerClient.pushConfig('{"inbounds": []}')).toEqual({ message: '配置更新成功' });
    expect(await workerClient.logs(3)).toBe('line 0\nline 1\nline 2');
    expect(await workerClient.logs()).toBe(Array.from({ length: 100 }, (_, i) => `line ${i}`).join('\n'));
    expect(await workerClient.stats()).toEqual({
      uptime: 86400,
      connections: 15,
      trafficUp: 1073741824,
      trafficDown: 5368709120,
      coreStatus: 'running',
    });
    const health = await workerClient.health();
    expect(health).toEqual({ registered: true, coreStatus: 'running', timestamp: expect.any(Number) });
    expect(Math.abs(health.timestamp - Date.now() / 1000)).toBeLessThan(60);
    expect(node.calls).toEqual(['restart', 'config {"inbounds": []}', 'logs 3', 'logs 100']);
  });

  it('two identical calls in the same second both succeed (each body carries its own nonce)', async () => {
    const fixed = Date.now();
    const workerClient = new WorkerClient({ baseUrl: worker.url, secret, now: () => fixed });
    await workerClient.restart();
    await workerClient.restart();
    expect(node.calls).toEqual(['restart', 'restart']);
  });

  it('signs the body it sends: timestamp from `now`, a 16-byte hex nonce, X-Signature over it', async () => {
    const seen: { body: string; signature: unknown; type: unknown }[] = [];
    const url = await rawServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        seen.push({ body, signature: request.headers['x-signature'], type: request.headers['content-type'] });
        response.setHeader('content-type', 'application/json');
        response.end('{"status":"ok","message":"done"}');
      });
    });
    const workerClient = new WorkerClient({ baseUrl: url, secret, now: () => 1_700_000_000_999 });
    await workerClient.pushConfig('{}');
    const { createHmac } = await import('node:crypto');
    const sent = JSON.parse(seen[0]!.body);
    expect(sent).toEqual({
      config: '{}',
      timestamp: 1_700_000_000,
      nonce: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
    // What seed 000's Python signs: json.dumps(body, sort_keys=True).
    const pythonDump = `{"config": "{}", "nonce": "${sent.nonce}", "timestamp": 1700000000}`;
    expect(seen[0]!.signature).toBe(createHmac('sha256', secret).update(pythonDump).digest('hex'));
    expect(seen[0]!.type).toBe('application/json');
    expect(seen[0]!.body).not.toContain(secret);
  });

  it('joins a path prefix and a trailing slash onto the route paths', async () => {
    const paths: string[] = [];
    const url = await rawServer((request, response) => {
      paths.push(request.url ?? '');
      response.end('{"status":"ok","message":"done"}');
    });
    await new WorkerClient({ baseUrl: `${url}/node-7`, secret }).restart();
    await new WorkerClient({ baseUrl: `${url}/node-7/`, secret }).restart();
    await new WorkerClient({ baseUrl: `${url}/?x=1#y`, secret }).restart();
    expect(paths).toEqual(['/node-7/api/restart', '/node-7/api/restart', '/api/restart']);
  });
});

describe('WorkerClient during a secret rotation', () => {
  it('hands the worker a sealed secret (replaceSecret) signed with its secret', async () => {
    expect(await client().replaceSecret('sealed-token', 90)).toEqual({ message: 'api_secret replaced' });
    expect(node.calls).toEqual(['secret sealed-token 90']);
  });

  it('signs a refused call once more with the next secret, and from then on with that one', async () => {
    let confirmed = 0;
    const rotating = client({ secret: 'the-replaced-secret-0000' });
    const withNext = new WorkerClient({
      baseUrl: worker.url,
      secret: 'the-replaced-secret-0000',
      nextSecret: secret, // what the worker holds already
      onNextSecretAccepted: () => void confirmed++,
    });
    expect((await failure(rotating.restart(), ['the-replaced-secret-0000'])).status).toBe(401);
    expect(node.calls).toEqual([]);
    expect(await withNext.restart()).toEqual({ message: 'Xray重启成功' });
    expect(await withNext.logs(1)).toBe('line 0');
    expect(confirmed).toBe(1);
    expect(node.calls).toEqual(['restart', 'logs 1']); // each operation done once
  });

  it('does not retry a refusal that is not about the signature', async () => {
    let confirmed = 0;
    const withNext = new WorkerClient({
      baseUrl: worker.url,
      secret,
      nextSecret: 'a-next-secret-the-worker-lacks',
      onNextSecretAccepted: () => void confirmed++,
    });
    expect((await failure(withNext.pushConfig('{"refuse-me": 1}'))).status).toBe(400);
    expect(confirmed).toBe(0);
  });
});

describe('WorkerClient errors, one code each', () => {
  it('a wrong secret is WORKER_REFUSED 401 with the worker’s text', async () => {
    const error = await failure(client({ secret: 'wrong-secret-x' }).restart(), [secret, 'wrong-secret-x']);
    expect(error).toMatchObject({ code: 'WORKER_REFUSED', status: 401, workerError: '签名验证失败' });
    expect(node.calls).toEqual([]);
  });

  it('a config the core rejects is WORKER_REFUSED 400 carrying the worker’s message', async () => {
    const error = await failure(client().pushConfig('{"inbounds": [{"protocol": "refuse-me"}]}'));
    expect(error).toMatchObject({
      code: 'WORKER_REFUSED',
      status: 400,
      workerError: '配置格式错误: unknown inbound protocol',
    });
    expect(error.message).toContain('unknown inbound protocol');
  });

  it('a failed restart (worker 500) is WORKER_FAILED', async () => {
    node.failRestart = true;
    const error = await failure(client().restart());
    expect(error).toMatchObject({
      code: 'WORKER_FAILED',
      status: 500,
      workerError: 'Xray重启失败: core would not start',
    });
  });

  it('the worker’s error text is cut to 500 characters', async () => {
    const url = await rawServer((_request, response) => {
      response.statusCode = 503;
      response.end(JSON.stringify({ error: 'x'.repeat(5000) }));
    });
    const error = await failure(new WorkerClient({ baseUrl: url, secret }).stats());
    expect(error).toMatchObject({ code: 'WORKER_FAILED', status: 503 });
    expect(error['workerError']).toBe('x'.repeat(500));
  });

  it('a closed port is WORKER_UNREACHABLE, naming only host:port', async () => {
    const url = await rawServer(() => undefined);
    const closed = servers.pop()!;
    await new Promise((resolve) => closed.close(resolve));
    const error = await failure(new WorkerClient({ baseUrl: `${url}/prefix`, secret }).restart());
    expect(error.code).toBe('WORKER_UNREACHABLE');
    expect(error.message).toContain(new URL(url).host);
    expect(error.message).not.toContain('/prefix');
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('a server that never answers is WORKER_UNREACHABLE once the timeout runs out', async () => {
    const url = await rawServer(() => undefined);
    const started = Date.now();
    const error = await failure(new WorkerClient({ baseUrl: url, secret, timeoutMs: 200 }).stats());
    expect(error.code).toBe('WORKER_UNREACHABLE');
    expect(error.message).toContain('timed out');
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('an endless answer is WORKER_ANSWER_INVALID after the cap, without reading it all', async () => {
    let written = 0;
    const url = await rawServer((_request, response) => {
      const chunk = Buffer.alloc(64 * 1024, 'a');
      const pump = () => {
        while (!response.destroyed && written < 512 * 1024 * 1024) {
          written += chunk.length;
          if (!response.write(chunk)) return void response.once('drain', pump);
        }
      };
      response.on('close', () => undefined);
      pump();
    });
    const error = await failure(new WorkerClient({ baseUrl: url, secret }).stats());
    expect(error.code).toBe('WORKER_ANSWER_INVALID');
    expect(written).toBeGreaterThan(1024 * 1024);
    expect(written).toBeLessThan(64 * 1024 * 1024);
  });

  it('a declared Content-Length over the cap is refused before reading; logs get 2 MB', async () => {
    const logs = 'l'.repeat(1_500_000);
    const url = await rawServer((request, response) => {
      const body =
        request.url === '/api/logs'
          ? JSON.stringify({ status: 'ok', logs })
          : '{"status":"ok"}'.padEnd(1_100_000);
      response.setHeader('content-length', Buffer.byteLength(body));
      response.end(body);
    });
    const workerClient = new WorkerClient({ baseUrl: url, secret });
    expect((await failure(workerClient.stats())).code).toBe('WORKER_ANSWER_INVALID');
    expect(await workerClient.logs(1000)).toBe(logs);
  });

  it('an answer that is not JSON, the wrong shape, or a redirect is WORKER_ANSWER_INVALID', async () => {
    const answers: Record<string, [number, string]> = {
      '/api/restart': [200, '<html>proxy</html>'],
      '/api/stats': [200, '{"status":"ok","stats":{"uptime":"long"}}'],
      '/api/logs': [302, ''],
      '/health': [200, '[1,2]'],
    };
    const url = await rawServer((request, response) => {
      const [status, body] = answers[request.url ?? '']!;
      response.statusCode = status;
      if (status === 302) response.setHeader('location', 'http://127.0.0.1:1/steal');
      response.end(body);
    });
    const workerClient = new WorkerClient({ baseUrl: url, secret });
    const calls = [
      () => workerClient.restart(),
      () => workerClient.stats(),
      () => workerClient.logs(),
      () => workerClient.health(),
    ];
    for (const call of calls) expect((await failure(call())).code).toBe('WORKER_ANSWER_INVALID');
  });
});

describe('WorkerClient arguments', () => {
  it('refuses a baseUrl that is not http(s), naming the argument', () => {
    for (const baseUrl of ['ftp://10.0.0.5:9090', 'file:///etc/passwd', '10.0.0.5:9090', 'not a url'])
      expect(() => new WorkerClient({ baseUrl, secret })).toThrow(/^baseUrl: /);
    expect(() => new WorkerClient({ baseUrl: 'http://u:p@10.0.0.5', secret })).toThrow(TypeError);
    expect(() => new WorkerClient({ baseUrl: 'https://10.0.0.5', secret })).not.toThrow();
  });

  it('refuses lines outside 1..1000 and an empty secret, without calling the worker', async () => {
    await expect(client().logs(0)).rejects.toThrow(/^lines: /);
    await expect(client().logs(1001)).rejects.toThrow(/^lines: /);
    await expect(client().logs(1.5)).rejects.toThrow(/^lines: /);
    expect(() => new WorkerClient({ baseUrl: worker.url, secret: '' })).toThrow(/^secret: /);
    expect(node.calls).toEqual([]);
  });
});
