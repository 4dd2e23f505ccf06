// `signet master` serves the built console at `/` beside its APIs: the page and its assets come
// back as files, a path nobody serves is not answered in an API's envelope, and the API routes
// still answer in theirs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsoleMaster, type ConsoleMaster } from './support/console-master.js';

let master: ConsoleMaster;

beforeAll(async () => {
  master = await startConsoleMaster({ admin: false });
}, 60_000);

afterAll(async () => {
  await master?.stop();
});

const get = async (path: string) => {
  const response = await fetch(`${master.url}${path}`);
  return {
    status: response.status,
    type: response.headers.get('content-type') ?? '',
    text: await response.text(),
  };
};

/** Whether `text` is one of the master's JSON envelopes: `{code, message, data}`, `{Code, Success, …}`, `{error}`. */
const isEnvelope = (text: string) => {
  try {
    const json = JSON.parse(text) as Record<string, unknown>;
    return typeof json === 'object' && json !== null && ('code' in json || 'Code' in json || 'error' in json);
  } catch {
    return false;
  }
};

describe('the master serves the console', () => {
  it('answers GET / with the console’s index.html', async () => {
    const index = await get('/');
    expect(index.status).toBe(200);
    expect(index.type).toMatch(/^text\/html/);
    expect(index.text).toMatch(/^<!doctype html>/i);
    expect(index.text).toContain('<title>');
  });

  it('serves the assets index.html names, with their types', async () => {
    const index = await get('/');
    const assets = [...index.text.matchAll(/(?:src|href)="\.?\/?(assets\/[^"]+)"/g)].map((m) => m[1]!);
    expect(assets.length, index.text).toBeGreaterThan(0);
    const script = assets.find((a) => a.endsWith('.js'));
    expect(script, `a script in ${assets.join(', ')}`).toBeDefined();
    const js = await get(`/${script}`);
    expect(js.status).toBe(200);
    expect(js.type).toMatch(/^(text|application)\/javascript/);
    expect(js.text.length).toBeGreaterThan(1000);
    const css = assets.find((a) => a.endsWith('.css'));
    if (css !== undefined) expect((await get(`/${css}`)).type).toMatch(/^text\/css/);
  });

  it('answers a path it does not serve without an API envelope', async () => {
    for (const path of ['/no-such-page', '/assets/no-such-file.js', '/nodes/3']) {
      const answer = await get(path);
      expect(answer.status, path).not.toBe(500);
      expect(isEnvelope(answer.text), `${path}: ${answer.text.slice(0, 200)}`).toBe(false);
      if (answer.status === 200) expect(answer.type, path).toMatch(/^text\/html/);
    }
    // A missing asset is missing: never index.html served as a script.
    expect((await get('/assets/no-such-file.js')).status).toBe(404);
  });

  it('leaves the API routes answering in their envelopes', async () => {
    const web = await get('/v1/web/me');
    expect(web.status).toBe(401);
    expect(JSON.parse(web.text)).toMatchObject({ code: 40100, data: null });
    // Unknown routes inside a group are refused before routing: they reveal nothing to strangers.
    const webUnknown = await get('/v1/web/no-such-route');
    expect(webUnknown.status).toBe(401);
    expect(JSON.parse(webUnknown.text)).toMatchObject({ code: 40100, data: null });
    const v1Missing = await get('/v1/no-such-group');
    expect(v1Missing.status).toBe(404);
    expect(JSON.parse(v1Missing.text)).toMatchObject({ code: 40400, data: null });
    const openapiMissing = await get('/api/v1/no-such-route');
    expect(JSON.parse(openapiMissing.text)).toMatchObject({ Success: false, Data: null });
    const openapi = await get('/api/v1/cluster/summary');
    expect(openapi.status).toBe(401);
    expect(JSON.parse(openapi.text)).toMatchObject({ Code: 40100, Success: false, Data: null });
    const login = await fetch(`${master.url}/v1/public/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'nobody', password: 'wrong password' }),
    });
    expect(login.status).toBe(401);
    expect(await login.json()).toMatchObject({ code: 40100, data: null });
    const heartbeat = await fetch(`${master.url}/api/node/heartbeat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(heartbeat.status).toBe(400); // seed 000's node API, in its own `{error}` shape
    expect(await heartbeat.json()).toEqual({ error: expect.any(String) });
    expect(JSON.parse((await get('/health')).text)).toEqual({ status: 'ok' });
  });
});
