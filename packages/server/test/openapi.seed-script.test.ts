// Seed 003's own L3.SHA256 script, run unchanged in a separate node process, signs a GET and a POST
// with a JSON body to the full URL of a real server; the plugin accepts exactly what it describes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEYS, type OpenApiApp, openApiApp, PREFIX, send, UNAUTHORIZED } from './support/openapi.js';
import { seedScriptAuthorization } from './support/openapi-seed.js';
import { listen } from './support/route-groups.js';

describe("seed 003's script against /api/v1 over real HTTP", () => {
  let server: OpenApiApp;
  let base: string;
  beforeAll(async () => {
    server = await openApiApp();
    ({ url: base } = await listen(server.app));
  });
  afterAll(async () => server.app.close());
  const key = KEYS.seed;

  it('a GET with a query string, as the script signs it, gets 200', async () => {
    const path = `${PREFIX}/cluster/tidbs/tidb-e6fbbdd6f4b0affc?verbose=1`;
    const header = seedScriptAuthorization({ url: `${base}${path}`, method: 'GET', ...key });
    expect(header).toMatch(/^Bearer TEM-AUTH:5e685006656cfc80:[0-9a-f]{64}:[1-9][0-9]{9}$/);
    const answer = await send(base, 'GET', path, { authorization: header });
    expect([answer.status, answer.json]).toEqual([
      200,
      { Data: { Alias: 'tidb-e6fbbdd6f4b0affc' }, Success: true },
    ]);
    // What it signed is that target: another query string is refused.
    const other = await send(base, 'GET', path.replace('verbose=1', 'verbose=0'), { authorization: header });
    expect([other.status, other.json]).toEqual([401, UNAUTHORIZED]);
  });

  it('a POST with a JSON body, as the script signs it, gets 200 once', async () => {
    const body = '{"name":"node-1","settings":{"enable_vless":true},"note":"ключ ✓"}';
    const path = `${PREFIX}/nodes`;
    const header = seedScriptAuthorization({ url: `${base}${path}`, method: 'POST', body, ...key });
    const answer = await send(base, 'POST', path, { authorization: header, body });
    expect([answer.status, answer.json]).toEqual([
      200,
      { Data: { created: JSON.parse(body) }, Success: true },
    ]);
    expect(server.authenticated).toContain(key.accessKey);
    const replayed = await send(base, 'POST', path, { authorization: header, body });
    expect([replayed.status, replayed.json]).toEqual([401, UNAUTHORIZED]);
  });
});
