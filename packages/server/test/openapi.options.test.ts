// temAuth and registerOpenApi refuse unusable options at registration; temAuth protects only the
// context it is registered in; requireScope reads an access key's scopes and a JWT's `scope` claim.
import Fastify, { type FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { MemoryReplayStore } from '@signet/auth';
import {
  registerOpenApi,
  requireScope,
  RouteGroupOptionsError,
  temAuth,
  temOk,
  type Principal,
} from '../src/index.js';
import { authorization, KEYS, openApiApp, PREFIX } from './support/openapi.js';

const resolveKey = async () => undefined;
const replay = new MemoryReplayStore();

describe('temAuth options', () => {
  it.each([
    ['no options', undefined],
    ['no resolveKey', { replay }],
    ['resolveKey not a function', { resolveKey: 'keys', replay }],
    ['no replay store', { resolveKey }],
    ['a replay store without claim', { resolveKey, replay: {} }],
    ['allowLevel0 as text', { resolveKey, replay, allowLevel0: 'yes' }],
    ['maxAgeSeconds 0', { resolveKey, replay, maxAgeSeconds: 0 }],
    ['maxAgeSeconds 1.5', { resolveKey, replay, maxAgeSeconds: 1.5 }],
    ['onAuthenticated not a function', { resolveKey, replay, onAuthenticated: true }],
  ])('refuses %s at registration with a coded error', async (_name, options) => {
    const app = Fastify();
    const registered = app.register(temAuth, options as never).ready();
    await expect(registered).rejects.toBeInstanceOf(RouteGroupOptionsError);
    await expect(registered).rejects.toMatchObject({ code: 'ROUTE_GROUP_OPTIONS_INVALID' });
    await app.close();
  });

  it.each([['api/v1'], ['/api/v1/'], ['']])('registerOpenApi refuses the prefix %j', async (prefix) => {
    const app = Fastify();
    const registered = registerOpenApi(app, { prefix, auth: { resolveKey, replay }, routes: () => {} }).then(
      () => app.ready(),
    );
    await expect(registered).rejects.toMatchObject({ code: 'ROUTE_GROUP_OPTIONS_INVALID' });
    await app.close();
  });

  it('protects only the context it is registered in; principal starts as null', async () => {
    const app = Fastify();
    await app.register(async (scope) => {
      await scope.register(temAuth, {
        resolveKey: async () => ({ ...KEYS['L3.SHA256'], subject: 's', scopes: [] }),
        replay,
      });
      scope.get('/protected', async (request) => temOk(request.principal));
    });
    await app.register(async (scope) => {
      scope.get('/open', async (request) => temOk(request.principal ?? null));
    });
    expect((await app.inject({ url: '/protected' })).statusCode).toBe(401);
    const signed = await app.inject({
      url: '/protected',
      headers: { authorization: authorization('L3.SHA256', { method: 'GET', url: '/protected' }) },
    });
    expect(signed.json().Data).toMatchObject({ kind: 'access-key', accessKey: KEYS['L3.SHA256'].accessKey });
    expect((await app.inject({ url: '/open' })).json()).toEqual({ Data: null, Success: true });
    await app.close();
  });

  it('honours maxAgeSeconds on both sides of now', async () => {
    const { app } = await openApiApp({ maxAgeSeconds: 10 });
    const now = Math.floor(Date.now() / 1000);
    const url = `${PREFIX}/whoami`;
    for (const [offset, status] of [
      [-5, 200],
      [5, 200],
      [-20, 401],
      [20, 401],
    ] as const) {
      const header = authorization('L3.SHA256', { method: 'GET', url, timestamp: String(now + offset) });
      expect((await app.inject({ url, headers: { authorization: header } })).statusCode, `${offset}`).toBe(
        status,
      );
    }
    await app.close();
  });
});

describe('requireScope', () => {
  const as = (principal: Principal | null) => ({ principal }) as FastifyRequest;
  const refusal = (request: FastifyRequest, scope: string) => {
    try {
      requireScope(request, scope);
      return undefined;
    } catch (error) {
      return { code: (error as { code: number }).code, message: (error as Error).message };
    }
  };
  const key = (scopes: string[]): Principal => ({
    kind: 'access-key',
    accessKey: 'ak',
    algorithm: 'L3.SHA256',
    subject: 'alice',
    scopes,
  });
  const jwt = (claims: Record<string, unknown>): Principal => ({ kind: 'web', subject: 'alice', claims });

  it("reads an access key's scopes", () => {
    expect(refusal(as(key(['read', 'write'])), 'write')).toBeUndefined();
    expect(refusal(as(key(['read'])), 'write')).toEqual({
      code: 40300,
      message: 'this access key does not have the "write" scope',
    });
  });

  it("reads a JWT's space-separated scope claim", () => {
    expect(refusal(as(jwt({ scope: 'read  write' })), 'write')).toBeUndefined();
    for (const claims of [{ scope: 'read writer' }, { scope: ['write'] }, {}]) {
      expect(refusal(as(jwt(claims)), 'write')).toEqual({
        code: 40300,
        message: 'this credential does not have the "write" scope',
      });
    }
  });

  it('an internal key has no scopes, and no principal at all is 401', () => {
    expect(refusal(as({ kind: 'internal', keyIndex: 0 }), 'read')?.code).toBe(40300);
    expect(refusal(as(null), 'read')).toEqual({ code: 40100, message: 'unauthorized' });
  });
});
