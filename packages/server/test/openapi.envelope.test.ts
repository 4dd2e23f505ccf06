// The TEM envelope: {Data, Success: true}, or {Data: null, Success: false, Code, Message} with
// /v1's code table; every kind of error in the OpenAPI context is answered in it (inject).
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryReplayStore, ReplayStoreUnavailableError } from '@signet/auth';
import {
  registerOpenApi,
  temErrorHandler,
  temFailure,
  temOk,
  V1_ERROR_CODES,
  V1Error,
  type V1ErrorCode,
} from '../src/index.js';
import { authorization, type OpenApiApp, openApiApp, PREFIX, UNAUTHORIZED } from './support/openapi.js';

// Written out, not read from V1_ERRORS: the test must fail if the table changes.
const STATUSES: [V1ErrorCode, number, string][] = [
  [40000, 400, 'bad request'],
  [40100, 401, 'unauthorized'],
  [40300, 403, 'forbidden'],
  [40400, 404, 'not found'],
  [40900, 409, 'conflict'],
  [41300, 413, 'payload too large'],
  [41500, 415, 'unsupported media type: send Content-Type: application/json'],
  [42900, 429, 'too many requests'],
  [50000, 500, 'internal error'],
  [50200, 502, 'bad gateway'],
  [50300, 503, 'service unavailable'],
];

describe('temOk and temFailure', () => {
  it('every code of the one table is rendered here', () => {
    expect(STATUSES.map(([code]) => code)).toEqual([...V1_ERROR_CODES]);
  });

  it('build the TEM shapes', () => {
    expect(temOk({ a: 1 })).toEqual({ Data: { a: 1 }, Success: true });
    expect(temFailure(40300)).toEqual({ Data: null, Success: false, Code: 40300, Message: 'forbidden' });
    expect(temFailure(40000, 'name is required')).toEqual({
      Data: null,
      Success: false,
      Code: 40000,
      Message: 'name is required',
    });
  });
});

describe('the OpenAPI error handler', () => {
  let server: OpenApiApp;
  const logLines: string[] = [];
  beforeAll(async () => {
    server = await openApiApp({ logLines });
  });
  afterAll(async () => server.app.close());
  const signedGet = (url: string) => ({
    url,
    headers: { authorization: authorization('L3.SHA256', { method: 'GET', url }) },
  });

  it.each(STATUSES)(
    'renders V1Error(%i) with status %i in the TEM envelope',
    async (code, status, message) => {
      const app = Fastify({ logger: false });
      app.setErrorHandler(temErrorHandler);
      app.get('/probe', async () => {
        throw new V1Error(code, code === 50000 ? undefined : `custom ${code}`);
      });
      const response = await app.inject({ url: '/probe' });
      expect([response.statusCode, response.json()]).toEqual([
        status,
        { Data: null, Success: false, Code: code, Message: code === 50000 ? message : `custom ${code}` },
      ]);
      await app.close();
    },
  );

  it('a body over the limit is 413/41300', async () => {
    const response = await server.app.inject({
      method: 'POST',
      url: `${PREFIX}/nodes`,
      headers: { 'content-type': 'application/json' },
      payload: `{"name":"${'x'.repeat(5000)}"}`,
    });
    expect([response.statusCode, response.json()]).toEqual([413, temFailure(41300)]);
  });

  // The signature is checked before the body: unsigned, both are 401 (openapi.signed-body.test.ts).
  it('a signed body that is not JSON is 415/41500; unsigned, 401', async () => {
    const url = `${PREFIX}/nodes`;
    const request = { method: 'POST' as const, url, payload: 'name=x' };
    const headers = { 'content-type': 'text/plain' };
    const unsigned = await server.app.inject({ ...request, headers });
    expect([unsigned.statusCode, unsigned.json()]).toEqual([401, UNAUTHORIZED]);
    const signed = await server.app.inject({
      ...request,
      headers: {
        ...headers,
        authorization: authorization('L3.SHA256', { method: 'POST', url, body: 'name=x' }),
      },
    });
    expect([signed.statusCode, signed.json()]).toEqual([415, temFailure(41500)]);
  });

  it('signed invalid JSON is 400/40000 with the reason; unsigned, 401', async () => {
    const url = `${PREFIX}/nodes`;
    const request = { method: 'POST' as const, url, payload: '{"name":' };
    const headers = { 'content-type': 'application/json' };
    const unsigned = await server.app.inject({ ...request, headers });
    expect([unsigned.statusCode, unsigned.json()]).toEqual([401, UNAUTHORIZED]);
    const signed = await server.app.inject({
      ...request,
      headers: {
        ...headers,
        authorization: authorization('L3.SHA256', { method: 'POST', url, body: '{"name":' }),
      },
    });
    expect([signed.statusCode, signed.json()]).toEqual([
      400,
      temFailure(40000, 'the body is not valid JSON'),
    ]);
  });

  it("a route's 429 is 42900", async () => {
    const response = await server.app.inject(signedGet(`${PREFIX}/forbidden`));
    expect([response.statusCode, response.json()]).toEqual([429, temFailure(42900)]);
  });

  it('an unexpected error is 500/50000, logged, its details never sent', async () => {
    logLines.length = 0;
    const response = await server.app.inject(signedGet(`${PREFIX}/boom`));
    expect([response.statusCode, response.json()]).toEqual([500, temFailure(50000)]);
    expect(response.body).not.toContain('hunter2');
    expect(logLines.join('\n')).toContain('hunter2'); // for the operator, in the log
  });

  it('a replay store that cannot answer is 503/50300; a forged request is still 401', async () => {
    const replay = {
      claim: async () => {
        throw new ReplayStoreUnavailableError('down');
      },
    };
    const { app } = await openApiApp({ replay });
    const url = `${PREFIX}/nodes/n1`;
    const header = authorization('L3.SHA256', { method: 'DELETE', url });
    const down = await app.inject({ method: 'DELETE', url, headers: { authorization: header } });
    expect([down.statusCode, down.json()]).toEqual([503, temFailure(50300)]);
    const forged = await app.inject({
      method: 'DELETE',
      url,
      headers: { authorization: header.replace(/:([0-9a-f]{64}):/, `:${'0'.repeat(64)}:`) },
    });
    expect([forged.statusCode, forged.json()]).toEqual([401, UNAUTHORIZED]);
    await app.close();
  });

  it('a key store that fails is 500 and says nothing about it', async () => {
    const app = Fastify({ logger: false });
    await registerOpenApi(app, {
      prefix: PREFIX,
      auth: {
        resolveKey: async () => {
          throw new Error('connection to postgres://admin:pw@db failed');
        },
        replay: new MemoryReplayStore(),
      },
      routes: (api) => {
        api.get('/x', async () => temOk(null));
      },
    });
    const url = `${PREFIX}/x`;
    const response = await app.inject({
      url,
      headers: { authorization: authorization('L3.SHA256', { method: 'GET', url }) },
    });
    expect([response.statusCode, response.json()]).toEqual([500, temFailure(50000)]);
    await app.close();
  });
});
