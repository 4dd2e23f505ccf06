// GET /api/v1/openapi.json: an OpenAPI 3.1 document that describes exactly the /api/v1 routes the
// master serves: every path and method in it answers when signed, every route is in it, and its
// operationIds are unique.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATIONS } from '../src/api/operations/index.js';
import {
  type ApiMaster,
  type Key,
  newKey,
  send,
  startApiMaster,
  TEM_UNAUTHORIZED,
  temRequest,
  unixTime,
} from './support/api-master.js';
import { storeKinds } from './support/store.js';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

describe.each(storeKinds())('the OpenAPI document on %s', (kind) => {
  let api: ApiMaster;
  let doc: any;
  beforeAll(async () => {
    api = await startApiMaster(kind);
    const res = await send(api, 'GET', '/api/v1/openapi.json', {});
    expect(res.status).toBe(200);
    doc = res.json;
  });
  afterAll(() => api?.close());

  const operations = () =>
    Object.entries(doc.paths as Record<string, Record<string, any>>).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([method]) => METHODS.includes(method))
        .map(([method, op]) => ({ path, method: method.toUpperCase(), op })),
    );

  it('is OpenAPI 3.1, open, with the TEM-AUTH security scheme', () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(typeof doc.info.title).toBe('string');
    expect(typeof doc.info.version).toBe('string');
    expect(doc.components.securitySchemes.temAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.security).toStrictEqual([{ temAuth: [] }]);
    expect(operations().length).toBeGreaterThan(10);
    for (const { path, op } of operations()) {
      expect(path.startsWith('/api/v1/'), path).toBe(true);
      expect(op.responses['200'], path).toBeDefined();
      expect(op.responses.default, path).toBeDefined();
    }
  });

  it('has unique operationIds', () => {
    const ids = operations().map(({ op }) => op.operationId as string);
    expect(ids.every((id) => typeof id === 'string' && id !== '')).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('lists every /api/v1 route of the table, and only those', () => {
    const expected = OPERATIONS.filter((op) => !op.except?.includes('openapi'))
      .map((op) => `${op.method} /api/v1${op.path.replace(/:([A-Za-z]+)/g, '{$1}')}`)
      .sort();
    const documented = operations()
      .map(({ method, path }) => `${method} ${path}`)
      .sort();
    expect(documented).toStrictEqual(expected);
    for (const { method, path } of operations()) {
      const url = path.replace(/\{([A-Za-z]+)\}/g, ':$1');
      expect(api.master.app.hasRoute({ method: method as 'GET', url }), `${method} ${url}`).toBe(true);
    }
  });

  it('every documented path and method answers when signed (never the route-not-found 404)', async () => {
    const key: Key = await newKey(api, 'L3.SHA256', 'read-write');
    const spare = await newKey(api, 'L3.SHA256', 'read-write');
    let n = 0;
    for (const { method, path, op } of operations()) {
      const url = path
        .replace('{id}', '1')
        .replace('{email}', 'someone@x.io')
        .replace('{accessKey}', spare.accessKey);
      const body = op.requestBody ? '{}' : undefined;
      const signed = await temRequest(api, key, method, url, body, { timestamp: unixTime(-(n++ % 250)) });
      expect(signed.status, `${method} ${url}: ${signed.text}`).not.toBe(401);
      expect(signed.json, `${method} ${url}`).not.toStrictEqual({
        Data: null,
        Success: false,
        Code: 40400,
        Message: 'not found',
      });
      expect(typeof signed.json.Success, `${method} ${url}`).toBe('boolean');
      // and unsigned, it is refused
      const unsigned = await send(api, method, url, {}, body);
      expect(unsigned.json, `${method} ${url}`).toStrictEqual(TEM_UNAUTHORIZED);
    }
  });

  it('serves the JWKS with public keys only', async () => {
    const res = await send(api, 'GET', '/.well-known/jwks.json', {});
    expect(res.status).toBe(200);
    expect(res.json.keys.length).toBeGreaterThan(0);
    for (const jwk of res.json.keys) {
      expect(jwk).toMatchObject({
        kty: 'OKP',
        crv: 'Ed25519',
        kid: expect.any(String),
        x: expect.any(String),
      });
      expect(jwk).not.toHaveProperty('d');
    }
  });
});
