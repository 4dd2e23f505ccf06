// The OpenAPI reads a body as bytes only: the TEM-AUTH signature is checked first, so an unsigned
// request is 401 whatever its body; only then is a signed body refused for its content type (415),
// its encoding or its JSON (400), or for being sent on a method whose signature does not cover it
// (GET, DELETE, HEAD, OPTIONS), and parsed for the route's body schema.
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MemoryReplayStore, signTem } from '@signet/auth';
import { registerOpenApi, temFailure, temOk, temResponseSchema } from '../src/index.js';
import { PREFIX, UNAUTHORIZED } from './support/openapi.js';
import { listen } from './support/route-groups.js';

const KEY = { accessKey: 'ak-body', secretKey: 'sk-body-7e1f', algorithm: 'L3.SHA256' } as const;
const NOT_SIGNED = (method: string) =>
  temFailure(40000, `a ${method} request must not have a body: it is not signed`);

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'OPTIONS';

/** A header signed over the body as the server verifies it: its bytes read as UTF-8 text. */
function sign(method: Method, url: string, body: string | Buffer = ''): string {
  const text = typeof body === 'string' ? body : body.toString('utf8');
  return signTem({ ...KEY, method, url, body: text }).headers.Authorization;
}

let app: FastifyInstance;
const calls = { count: 0 };

beforeAll(async () => {
  app = Fastify({ logger: false, bodyLimit: 256 });
  const ok = { 200: temResponseSchema({ type: 'object', additionalProperties: true }) };
  const echo = async (request: { body: unknown; rawBody: Buffer | null }) => {
    calls.count++;
    return temOk({ body: request.body ?? null, raw: request.rawBody?.toString('utf8') ?? null });
  };
  await registerOpenApi(app, {
    prefix: PREFIX,
    auth: {
      resolveKey: async (accessKey) =>
        accessKey === KEY.accessKey ? { ...KEY, subject: 'owner', scopes: ['read', 'write'] } : undefined,
      replay: new MemoryReplayStore(),
    },
    routes: (api) => {
      const body = {
        type: 'object',
        required: ['name'],
        additionalProperties: false,
        properties: { name: { type: 'string' } },
      };
      api.post('/echo', { schema: { body, response: ok } }, echo);
      api.put('/echo', { schema: { response: ok } }, echo);
      api.get('/things', { schema: { response: ok } }, echo);
      api.delete('/things/:id', { schema: { response: ok } }, echo);
      api.options('/things', { schema: { response: ok } }, echo);
    },
  });
});
afterAll(async () => app.close());
beforeEach(() => {
  calls.count = 0;
});

const url = `${PREFIX}/echo`;
const invalidUtf8 = Buffer.from([0x7b, 0x22, 0x6e, 0x61, 0x6d, 0x65, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]);
// Bodies the OpenAPI refuses once signed; unsigned, every one is 401. Each body differs: an exact
// copy of a signed POST would be refused as a replay.
const BAD_BODIES: {
  name: string;
  contentType: string | undefined;
  payload: string | Buffer;
  status: number;
  answer: unknown;
}[] = [
  {
    name: 'invalid JSON',
    contentType: 'application/json',
    payload: '{"name":',
    status: 400,
    answer: temFailure(40000, 'the body is not valid JSON'),
  },
  {
    name: 'charset=latin1',
    contentType: 'application/json; charset=latin1',
    payload: '{"name":"latin1"}',
    status: 400,
    answer: temFailure(40000, 'the body must be UTF-8 JSON: send charset=utf-8 or no charset'),
  },
  {
    name: 'bytes that are not UTF-8',
    contentType: 'application/json',
    payload: invalidUtf8,
    status: 400,
    answer: temFailure(40000, 'the body is not valid UTF-8'),
  },
  {
    name: 'text/plain',
    contentType: 'text/plain',
    payload: '{"name":"plain"}',
    status: 415,
    answer: temFailure(41500),
  },
  {
    name: 'a form',
    contentType: 'application/x-www-form-urlencoded',
    payload: 'name=x',
    status: 415,
    answer: temFailure(41500),
  },
  {
    name: 'no Content-Type',
    contentType: undefined,
    payload: '{"name":"none"}',
    status: 415,
    answer: temFailure(41500),
  },
];

describe('the signature is checked before anything about the body', () => {
  it.each(BAD_BODIES)('unsigned, $name is 401', async ({ contentType, payload }) => {
    const response = await app.inject({
      method: 'POST',
      url,
      headers: contentType === undefined ? {} : { 'content-type': contentType },
      payload,
    });
    expect([response.statusCode, response.json()]).toEqual([401, UNAUTHORIZED]);
    expect(calls.count).toBe(0);
  });

  it.each(BAD_BODIES)(
    'signed, $name is $status in the envelope',
    async ({ contentType, payload, status, answer }) => {
      const response = await app.inject({
        method: 'POST',
        url,
        headers: {
          authorization: sign('POST', url, payload),
          ...(contentType === undefined ? {} : { 'content-type': contentType }),
        },
        payload,
      });
      expect([response.statusCode, response.json()]).toEqual([status, answer]);
      expect(calls.count).toBe(0);
    },
  );

  it('a body over the limit is 413 while it is read, signed or not', async () => {
    const payload = `{"name":"${'x'.repeat(300)}"}`;
    for (const headers of [{}, { authorization: sign('POST', url, payload) }]) {
      const response = await app.inject({
        method: 'POST',
        url,
        headers: { ...headers, 'content-type': 'text/plain' },
        payload,
      });
      expect([response.statusCode, response.json()]).toEqual([413, temFailure(41300)]);
    }
  });

  it('over real HTTP too: unsigned invalid JSON is 401, signed 400', async () => {
    const server = Fastify({ logger: false });
    await registerOpenApi(server, {
      prefix: PREFIX,
      auth: {
        resolveKey: async () => ({ ...KEY, subject: 'owner', scopes: [] }),
        replay: new MemoryReplayStore(),
      },
      routes: (api) => {
        api.post('/echo', async () => temOk(null));
      },
    });
    const { url: base } = await listen(server);
    try {
      const send = (headers: Record<string, string>) =>
        fetch(`${base}${url}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: '{"name":',
        });
      expect((await send({})).status).toBe(401);
      const signed = await send({ authorization: sign('POST', url, '{"name":') });
      expect([signed.status, await signed.json()]).toEqual([
        400,
        temFailure(40000, 'the body is not valid JSON'),
      ]);
    } finally {
      await server.close();
    }
  });
});

describe('a signed body is parsed, then validated by the route schema', () => {
  it('a JSON body reaches the route parsed, its bytes on request.rawBody', async () => {
    const contentTypes = [
      'application/json',
      'application/json; charset=utf-8',
      'Application/JSON; Charset="UTF-8"',
    ];
    for (const [i, contentType] of contentTypes.entries()) {
      const payload = `{"name":"n\\u00e9 ${i}"}`;
      const response = await app.inject({
        method: 'POST',
        url,
        headers: { authorization: sign('POST', url, payload), 'content-type': contentType },
        payload,
      });
      expect([response.statusCode, response.json()], contentType).toEqual([
        200,
        { Data: { body: JSON.parse(payload), raw: payload }, Success: true },
      ]);
    }
  });

  it('the body schema still applies after the signature: a signed body without "name" is 400', async () => {
    const payload = '{"title":"no name"}';
    const response = await app.inject({
      method: 'POST',
      url,
      headers: { authorization: sign('POST', url, payload), 'content-type': 'application/json' },
      payload,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ Data: null, Success: false, Code: 40000 });
    expect(response.json().Message).toContain('name');
    expect(calls.count).toBe(0);
  });

  it('GET, DELETE and a bodiless PUT without a body still work', async () => {
    const get = await app.inject({
      url: `${PREFIX}/things`,
      headers: { authorization: sign('GET', `${PREFIX}/things`) },
    });
    expect([get.statusCode, get.json()]).toEqual([200, { Data: { body: null, raw: null }, Success: true }]);
    const deleteUrl = `${PREFIX}/things/1`;
    const del = await app.inject({
      method: 'DELETE',
      url: deleteUrl,
      headers: { authorization: sign('DELETE', deleteUrl) },
    });
    expect(del.statusCode).toBe(200);
    expect(del.json().Data.body).toBeNull();
    const put = await app.inject({
      method: 'PUT',
      url,
      headers: { authorization: sign('PUT', url), 'content-type': 'application/json' },
    });
    expect([put.statusCode, put.json().Data.body]).toEqual([200, null]);
  });
});

describe('a body on a method that does not sign it is refused', () => {
  it('a signed DELETE carrying {"evil":1} is 400; unsigned, 401', async () => {
    const deleteUrl = `${PREFIX}/things/2`;
    const payload = '{"evil":1}';
    const headers = { 'content-type': 'application/json' };
    const unsigned = await app.inject({ method: 'DELETE', url: deleteUrl, headers, payload });
    expect([unsigned.statusCode, unsigned.json()]).toEqual([401, UNAUTHORIZED]);
    const signed = await app.inject({
      method: 'DELETE',
      url: deleteUrl,
      headers: { ...headers, authorization: sign('DELETE', deleteUrl, payload) },
      payload,
    });
    expect([signed.statusCode, signed.json()]).toEqual([400, NOT_SIGNED('DELETE')]);
    expect(calls.count).toBe(0);
  });

  it('whatever its content type, and over real HTTP', async () => {
    const server = Fastify({ logger: false });
    let ran = 0;
    await registerOpenApi(server, {
      prefix: PREFIX,
      auth: {
        resolveKey: async () => ({ ...KEY, subject: 'owner', scopes: [] }),
        replay: new MemoryReplayStore(),
      },
      routes: (api) => {
        api.delete('/things/:id', async () => {
          ran++;
          return temOk(null);
        });
      },
    });
    const { url: base } = await listen(server);
    try {
      for (const [id, contentType] of [
        ['3', 'application/json'],
        ['4', 'text/plain'],
      ] as const) {
        const deleteUrl = `${PREFIX}/things/${id}`;
        const response = await fetch(`${base}${deleteUrl}`, {
          method: 'DELETE',
          headers: { 'content-type': contentType, authorization: sign('DELETE', deleteUrl) },
          body: '{"evil":1}',
        });
        expect([response.status, await response.json()], contentType).toEqual([400, NOT_SIGNED('DELETE')]);
      }
      expect(ran).toBe(0);
    } finally {
      await server.close();
    }
  });

  it('a signed GET or OPTIONS with a body is 400', async () => {
    const thingsUrl = `${PREFIX}/things`;
    for (const method of ['GET', 'OPTIONS'] as const) {
      const response = await app.inject({
        method,
        url: thingsUrl,
        headers: { authorization: sign(method, thingsUrl), 'content-type': 'application/json' },
        payload: '{"evil":1}',
      });
      expect([response.statusCode, response.json()], method).toEqual([400, NOT_SIGNED(method)]);
    }
    expect(calls.count).toBe(0);
  });
});
