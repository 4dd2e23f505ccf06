// Policy is decided on the normalized path: encoded slashes, backslashes, empty and dot segments can
// never move a request from one /v1 group to another. Sent byte for byte over a real socket (fetch
// and http.request would normalize these paths themselves).
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { v1FrameworkErrors } from '../src/route-groups/index.js';
import {
  groupsApp,
  headerLines,
  listen,
  rawRequest,
  signed,
  token,
  UNAUTHORIZED,
} from './support/route-groups.js';

const REFUSED = {
  code: 40000,
  message: 'the path must not contain encoded slashes, backslashes, empty segments or dot segments',
  data: null,
};
const HELLO = { code: 20000, message: '', data: null };

// Each would reach /v1/internal/user/hello-world (or a /v1/public route) if a router or proxy
// decoded or resolved it.
const TRICKS = [
  '/v1/public/../internal/user/hello-world',
  '/v1/public/files/../../internal/user/hello-world',
  '/v1/public/./../internal/user/hello-world',
  '/v1/public/%2e%2e/internal/user/hello-world',
  '/v1/public/%2E%2E/internal/user/hello-world',
  '/v1/public/.%2e/internal/user/hello-world',
  '/v1/public/%2e./internal/user/hello-world',
  '/v1/public/files/%2e%2e/%2e%2e/internal/user/hello-world',
  '/v1/public%2f..%2finternal/user/hello-world',
  '/v1/public%2F..%2Finternal/user/hello-world',
  '/v1/public/..%2finternal/user/hello-world',
  '/v1/public/files/..%2f..%2finternal/user/hello-world',
  '/v1/public/files/%2e%2e%2f%2e%2e%2finternal/user/hello-world',
  '/v1/public/%252e%252e/internal/user/hello-world',
  '/v1/public/files/%252e%252e%252f%252e%252e%252finternal',
  '/v1/public\\..\\internal/user/hello-world',
  '/v1/public/files/..\\..\\internal/user/hello-world',
  '/v1/public/%5c..%5cinternal/user/hello-world',
  '/v1/public/%5C..%5Cinternal/user/hello-world',
  '/v1/public/..;/internal/user/hello-world',
  '/v1//internal/user/hello-world',
  '//v1/internal/user/hello-world',
  '/v1/internal//user/hello-world',
  '/v1/./internal/user/hello-world',
  '/v1/%2e/internal/user/hello-world',
  '/v1/internal/./user/hello-world',
  '/v1/internal/user/./hello-world',
  '/v1/internal/user/hello-world/.',
  '/v1/internal%2fuser%2fhello-world',
  '/v1/web/../internal/user/hello-world',
  '/v1/service/%2e%2e/internal/user/hello-world',
  '/v1/internal/../public/status',
  '/v1/internal/user/../../public/status',
  '/v1/internal/%2e%2e/public/status',
  '/v1/internal/..%2fpublic/status',
  '/v1/public/files/x#/../../../internal/user/hello-world',
  '/x/../v1/internal/user/hello-world',
  '/x/%2e%2e/v1/public/status',
  'http://127.0.0.1/v1/public/../internal/user/hello-world',
  'http://127.0.0.1/v1/public/files/%2e%2e/%2e%2e/internal/user/hello-world',
];

describe('path normalization over real HTTP', () => {
  let app: FastifyInstance;
  let port: number;
  beforeAll(async () => {
    app = await groupsApp();
    ({ port } = await listen(app));
  });
  afterAll(async () => {
    await app.close();
  });

  it('without the guard, find-my-way itself would serve `..` and `%2e%2e` paths from /v1/public', async () => {
    // Why the guard exists: the router neither resolves dot segments nor refuses them.
    const bare = Fastify();
    bare.get('/v1/public/files/*', async (request) => ({ file: (request.params as { '*': string })['*'] }));
    const { port: barePort } = await listen(bare);
    try {
      for (const target of [
        '/v1/public/files/../../internal/user/hello-world',
        '/v1/public/files/%2e%2e/x',
      ]) {
        expect((await rawRequest(barePort, target)).status, target).toBe(200);
      }
    } finally {
      await bare.close();
    }
  });

  it.each(TRICKS)('refuses %s with 400 in the envelope, unsigned', async (target) => {
    const response = await rawRequest(port, target);
    expect([response.status, response.json]).toEqual([400, REFUSED]);
  });

  it.each(TRICKS)('refuses %s with 400 even when signed and with a token', async (target) => {
    const response = await rawRequest(port, target, [
      ...headerLines(signed()),
      ['Authorization', `Bearer ${await token('web')}`],
    ]);
    expect([response.status, response.json]).toEqual([400, REFUSED]);
  });

  it('a refused path does not use up the nonce it carried', async () => {
    const headers = headerLines(signed());
    expect((await rawRequest(port, '/v1//internal/user/hello-world', headers)).status).toBe(400);
    expect((await rawRequest(port, '/v1/internal/user/hello-world', headers)).status).toBe(200);
  });

  it('encoded ordinary characters decode to the route they name, and its policy applies', async () => {
    // find-my-way decodes %69 to `i`: the request is an /v1/internal request and needs a signature.
    for (const target of ['/v1/%69nternal/user/hello-world', '/v1/internal/user/%68ello-world']) {
      expect([(await rawRequest(port, target)).status, (await rawRequest(port, target)).json]).toEqual([
        401,
        UNAUTHORIZED,
      ]);
      const response = await rawRequest(port, target, headerLines(signed()));
      expect([response.status, response.json], target).toEqual([200, HELLO]);
    }
    expect((await rawRequest(port, '/v1/%70ublic/status')).json).toEqual({
      code: 20000,
      message: '',
      data: { ok: true },
    });
  });

  it('dots inside names, queries and absolute-form targets in normal form are served as usual', async () => {
    for (const [target, file] of [
      ['/v1/public/files/a.b', 'a.b'],
      ['/v1/public/files/...', '...'],
      ['/v1/public/files/.well-known', '.well-known'],
      ['/v1/public/files/a..b', 'a..b'],
      ['/v1/public/files/a?next=/../internal', 'a'],
      ['/v1/public/files/a%2Eb', 'a.b'],
      ['http://127.0.0.1/v1/public/files/x', 'x'],
    ]) {
      const response = await rawRequest(port, target!);
      expect([response.status, response.json], target).toEqual([
        200,
        { code: 20000, message: '', data: { file } },
      ]);
    }
    const hello = await rawRequest(port, '/v1/internal/user/hello-world?x=/../public', headerLines(signed()));
    expect([hello.status, hello.json]).toEqual([200, HELLO]);
  });

  it('leaves paths outside /v1 to the app', async () => {
    const response = await rawRequest(port, '/elsewhere/../x');
    expect(response.status).toBe(404);
    expect(response.json).not.toEqual(REFUSED);
  });

  it('an undecodable path is refused by Fastify before routing, 400', async () => {
    expect((await rawRequest(port, '/v1/internal/%zz')).status).toBe(400);
    expect((await rawRequest(port, '/v1/public/%c0%ae%c0%ae/internal/user/hello-world')).status).toBe(400);
  });
});

describe('v1FrameworkErrors', () => {
  it('answers undecodable /v1 paths in the envelope, others as Fastify does', async () => {
    const app = Fastify({ frameworkErrors: v1FrameworkErrors });
    app.get('/v1/x', async () => ({}));
    const { port } = await listen(app);
    try {
      const v1 = await rawRequest(port, '/v1/%zz');
      expect([v1.status, v1.json]).toEqual([400, { code: 40000, message: 'bad request', data: null }]);
      const other = await rawRequest(port, '/other/%zz');
      expect([other.status, other.json]).toEqual([
        400,
        {
          error: 'Bad Request',
          code: 'FST_ERR_BAD_URL',
          message: "'/other/%zz' is not a valid url component",
          statusCode: 400,
        },
      ]);
    } finally {
      await app.close();
    }
  });
});
