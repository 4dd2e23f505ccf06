// The /v1 envelope: every code is in the one table, in its documentation, and answered as documented;
// every @signet/auth code has a /v1 answer.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { AUTH_ERROR_CODES } from '@signet/auth';
import {
  V1_AUTH_FAILURE,
  V1_ERROR_CODES,
  V1_ERRORS,
  V1Error,
  v1Error,
  v1Failure,
  v1Ok,
} from '../src/route-groups/index.js';
import { groupsApp } from './support/route-groups.js';

const source = readFileSync(new URL('../src/route-groups/envelope.ts', import.meta.url), 'utf8');

describe('the /v1 envelope', () => {
  it('success is {code: 20000, message: "", data}', () => {
    expect(v1Ok(null)).toEqual({ code: 20000, message: '', data: null });
    expect(v1Ok({ a: 1 })).toEqual({ code: 20000, message: '', data: { a: 1 } });
  });

  it('each error code has one status, unique, matching its code, and a row in the documented table', () => {
    expect([...V1_ERROR_CODES].sort()).toEqual([
      40000, 40100, 40300, 40400, 40900, 41300, 41500, 42900, 50000, 50200, 50300,
    ]);
    const statuses = V1_ERROR_CODES.map((code) => V1_ERRORS[code].status);
    expect(new Set(statuses).size).toBe(statuses.length);
    for (const code of V1_ERROR_CODES) {
      expect(V1_ERRORS[code].status).toBe(Math.floor(code / 100));
      expect(source, `documented row for ${code}`).toMatch(
        new RegExp(`^ \\* \\| ${code} \\| ${V1_ERRORS[code].status} +\\| \\S`, 'm'),
      );
    }
    const documented = [...source.matchAll(/^ \* \| (\d{5}) \|/gm)].map((m) => Number(m[1]));
    expect(documented.sort()).toEqual([...V1_ERROR_CODES].sort());
  });

  it('v1Error throws a coded error carrying its status; failures carry data: null', () => {
    expect(() => v1Error(40300)).toThrow(V1Error);
    try {
      v1Error(42900, 'slow down', { cause: new Error('inner') });
    } catch (error) {
      expect(error).toMatchObject({ code: 42900, statusCode: 429, message: 'slow down', name: 'V1Error' });
      expect((error as Error).cause).toBeInstanceOf(Error);
    }
    expect(v1Failure(40400)).toEqual({ code: 40400, message: 'not found', data: null });
  });

  it('every @signet/auth code has a /v1 answer: 401 for every failed check, 5xx only for the server', () => {
    expect(Object.keys(V1_AUTH_FAILURE).sort()).toEqual([...AUTH_ERROR_CODES].sort());
    for (const code of AUTH_ERROR_CODES) {
      const expected = code === 'REPLAY_STORE_UNAVAILABLE' ? 50300 : code === 'KEY_INVALID' ? 50000 : 40100;
      expect(V1_AUTH_FAILURE[code], code).toBe(expected);
    }
  });
});

describe('the /v1 error and not-found handlers (inject)', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await groupsApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it.each([
    ['GET', '/v1/nope', 404, { code: 40400, message: 'not found', data: null }],
    ['GET', '/v1', 404, { code: 40400, message: 'not found', data: null }],
    ['GET', '/v1/public/nope', 404, { code: 40400, message: 'not found', data: null }],
    ['POST', '/v1/public/status', 404, { code: 40400, message: 'not found', data: null }],
    ['GET', '/v1/public/forbidden', 403, { code: 40300, message: 'not for you', data: null }],
    ['GET', '/v1/public/boom', 500, { code: 50000, message: 'internal error', data: null }],
  ])('%s %s → %i in the envelope', async (method, url, status, body) => {
    const response = await app.inject({ method: method as 'GET', url });
    expect(response.statusCode).toBe(status);
    expect(response.json()).toEqual(body);
  });

  it('never sends an internal error message', async () => {
    const response = await app.inject({ url: '/v1/public/boom' });
    expect(response.body).not.toContain('hunter2');
  });

  it('a body failing its schema → 40000/400 naming the problem; bad JSON, size and type too', async () => {
    const invalid = await app.inject({ method: 'POST', url: '/v1/public/echo', payload: { nom: 'x' } });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json()).toMatchObject({
      code: 40000,
      message: expect.stringContaining('name'),
      data: null,
    });

    const ok = await app.inject({ method: 'POST', url: '/v1/public/echo', payload: { name: 'x' } });
    expect(ok.json()).toEqual({ code: 20000, message: '', data: { name: 'x' } });

    const badJson = await app.inject({
      method: 'POST',
      url: '/v1/public/echo',
      headers: { 'content-type': 'application/json' },
      payload: '{"name":',
    });
    expect([badJson.statusCode, badJson.json()]).toEqual([
      400,
      { code: 40000, message: 'bad request', data: null },
    ]);

    const type = await app.inject({
      method: 'POST',
      url: '/v1/public/echo',
      headers: { 'content-type': 'text/xml' },
      payload: '<a/>',
    });
    expect([type.statusCode, type.json()]).toEqual([
      415,
      { code: 41500, message: 'unsupported media type: send Content-Type: application/json', data: null },
    ]);

    const large = await app.inject({
      method: 'POST',
      url: '/v1/public/echo',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'x'.repeat(2_000_000) }),
    });
    expect([large.statusCode, large.json()]).toEqual([
      413,
      { code: 41300, message: 'payload too large', data: null },
    ]);
  });

  it('leaves routes outside /v1 to the app', async () => {
    const response = await app.inject({ url: '/elsewhere' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).not.toHaveProperty('code', 40400);
  });
});
