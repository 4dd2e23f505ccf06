// Under /api/v1 too, a path not in normal form is refused before authentication, with 400 in the TEM
// envelope: encoded slashes and dot segments can never reach a route the signature did not name.
// Sent byte for byte over a real socket (fetch would normalize these paths itself).
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { frameworkErrorsFor, temFailure, v1Failure } from '../src/index.js';
import { authorization, type OpenApiApp, openApiApp, PREFIX } from './support/openapi.js';
import { listen, rawRequest } from './support/route-groups.js';

const REFUSED = {
  Data: null,
  Success: false,
  Code: 40000,
  Message: 'the path must not contain encoded slashes, backslashes, empty segments or dot segments',
};

const TRICKS = [
  '/api/v1/nodes/../whoami',
  '/api/v1/cluster/tidbs/%2e%2e/%2e%2e/whoami',
  '/api/v1/cluster/tidbs/..%2f..%2fwhoami',
  '/api/v1/cluster%2ftidbs%2fx',
  '/api/v1/cluster/tidbs/%252e%252e/%252e%252e/whoami',
  '/api/v1/cluster\\..\\whoami',
  '/api/v1//whoami',
  '/api/v1/./whoami',
  '/api/v1/whoami/.',
  '/api/v1/cluster/..;/whoami',
  '/api/x/../v1/whoami',
  '/x/%2e%2e/api/v1/whoami',
  '/API/V1/./whoami',
  'http://127.0.0.1/api/v1/nodes/../whoami',
];

describe('/api/v1 path normalization over real HTTP', () => {
  let server: OpenApiApp;
  let port: number;
  beforeAll(async () => {
    server = await openApiApp({
      fastify: { frameworkErrors: frameworkErrorsFor([{ prefix: PREFIX, failure: temFailure }]) },
    });
    ({ port } = await listen(server.app));
  });
  afterAll(async () => server.app.close());

  it.each(TRICKS)('refuses %s with 400 in the TEM envelope, even signed for that target', async (target) => {
    server.calls.count = 0;
    const header = authorization('L3.SHA256', { method: 'GET', url: target });
    for (const lines of [[], [['Authorization', header]] as const]) {
      const response = await rawRequest(port, target, lines);
      expect([response.status, response.json]).toEqual([400, REFUSED]);
    }
    expect(server.calls.count).toBe(0);
  });

  it('normal-form targets, also absolute-form, are served once signed', async () => {
    for (const [target, signedFor] of [
      [`${PREFIX}/cluster/tidbs/a.b?next=/../x`, `${PREFIX}/cluster/tidbs/a.b?next=/../x`],
      [`http://127.0.0.1${PREFIX}/cluster/tidbs/x`, `${PREFIX}/cluster/tidbs/x`],
    ] as const) {
      const response = await rawRequest(port, target, [
        ['Authorization', authorization('L3.SHA256', { method: 'GET', url: signedFor })],
      ]);
      expect(response.status, target).toBe(200);
    }
  });

  it('an undecodable target is answered in the TEM envelope', async () => {
    const response = await rawRequest(port, `${PREFIX}/%zz`);
    expect([response.status, response.json]).toEqual([
      400,
      { Data: null, Success: false, Code: 40000, Message: 'bad request' },
    ]);
  });
});

describe('frameworkErrorsFor', () => {
  it('answers each prefix in its own envelope and others as Fastify does', async () => {
    const app = Fastify({
      frameworkErrors: frameworkErrorsFor([
        { prefix: '/v1', failure: v1Failure },
        { prefix: '/api/v1', failure: temFailure },
      ]),
    });
    app.get('/x', async () => ({}));
    const { port } = await listen(app);
    try {
      expect((await rawRequest(port, '/v1/%zz')).json).toEqual({
        code: 40000,
        message: 'bad request',
        data: null,
      });
      expect((await rawRequest(port, '/api/v1/%zz')).json).toEqual({
        Data: null,
        Success: false,
        Code: 40000,
        Message: 'bad request',
      });
      expect((await rawRequest(port, '/api/v2/%zz')).json).toMatchObject({
        code: 'FST_ERR_BAD_URL',
        statusCode: 400,
      });
    } finally {
      await app.close();
    }
  });

  it.each([['api/v1'], ['/api/v1/'], [''], ['/a b']])('refuses the prefix %j', (prefix) => {
    expect(() => frameworkErrorsFor([{ prefix, failure: temFailure }])).toThrow(/prefix/);
  });
});
