// /v1/web and /v1/service: a JWT for the group's audience from the issuer's key, or the same 401
// envelope for every failure; /v1/public open to all.
import { createHmac } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJwtVerifier } from '@signet/auth';
import { jwtAuth, RouteGroupOptionsError, registerRouteGroups } from '../src/route-groups/index.js';
import {
  AUDIENCE,
  groupsApp,
  ISSUER,
  KEYS,
  listen,
  SECRET,
  signed,
  token,
  UNAUTHORIZED,
} from './support/route-groups.js';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const claims = (audience: string) => ({
  iss: ISSUER,
  aud: audience,
  sub: 'mallory',
  iat: Math.floor(Date.now() / 1000),
  exp: Math.floor(Date.now() / 1000) + 600,
});

describe('/v1/web and /v1/service over real HTTP', () => {
  let app: FastifyInstance;
  let url: string;
  const logLines: string[] = [];
  beforeAll(async () => {
    app = await groupsApp({ logLines });
    ({ url } = await listen(app));
  });
  afterAll(async () => {
    await app.close();
  });
  const get = async (path: string, authorization?: string) => {
    const response = await fetch(`${url}${path}`, authorization ? { headers: { authorization } } : {});
    return { status: response.status, body: await response.text(), headers: response.headers };
  };

  it.each(['web', 'service'] as const)('a valid %s token sets request.principal', async (kind) => {
    const response = await get(`/v1/${kind}/whoami`, `Bearer ${await token(kind)}`);
    expect(response.status).toBe(200);
    const { data } = JSON.parse(response.body);
    expect(data).toMatchObject({
      kind,
      subject: kind === 'web' ? 'alice' : 'billing',
      claims: { iss: ISSUER, aud: AUDIENCE[kind], sub: kind === 'web' ? 'alice' : 'billing' },
    });
  });

  it('every failure is the same 401 envelope; the reason is only logged, never the token', async () => {
    const hour = 3_600_000;
    const webToken = await token('web');
    const [header, payload] = webToken.split('.');
    const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims(AUDIENCE.web))}.`;
    // HS256 keyed with the issuer's public key: the algorithm-confusion forgery.
    const confusedInput = `${b64({ alg: 'HS256', typ: 'JWT', kid: 'k1' })}.${b64(claims(AUDIENCE.web))}`;
    const confused = `${confusedInput}.${createHmac('sha256', String(KEYS.issuer.jwk.x)).update(confusedInput).digest('base64url')}`;
    const cases: [string, string, string | undefined, string][] = [
      ['no Authorization', '/v1/web/whoami', undefined, 'MALFORMED'],
      ['Basic credentials', '/v1/web/whoami', 'Basic YWxpY2U6c2VjcmV0', 'MALFORMED'],
      ['Bearer without a token', '/v1/web/whoami', 'Bearer', 'MALFORMED'],
      ['two tokens', '/v1/web/whoami', `Bearer ${webToken} ${webToken}`, 'MALFORMED'],
      ['garbage', '/v1/web/whoami', 'Bearer abc.def.ghi', 'TOKEN_INVALID'],
      [
        'expired',
        '/v1/web/whoami',
        `Bearer ${await token('web', { now: () => Date.now() - hour })}`,
        'TOKEN_EXPIRED',
      ],
      ['web token on /v1/service', '/v1/service/whoami', `Bearer ${webToken}`, 'TOKEN_INVALID'],
      ['service token on /v1/web', '/v1/web/whoami', `Bearer ${await token('service')}`, 'TOKEN_INVALID'],
      [
        'another audience',
        '/v1/web/whoami',
        `Bearer ${await token('web', { audience: 'elsewhere' })}`,
        'TOKEN_INVALID',
      ],
      [
        'another issuer',
        '/v1/web/whoami',
        `Bearer ${await token('web', { issuer: 'evil' })}`,
        'TOKEN_INVALID',
      ],
      [
        'wrong key, same kid',
        '/v1/web/whoami',
        `Bearer ${await token('web', { key: KEYS.impostor.privateKey })}`,
        'TOKEN_INVALID',
      ],
      [
        'unknown kid',
        '/v1/web/whoami',
        `Bearer ${await token('web', { key: KEYS.stranger.privateKey, kid: 'k9' })}`,
        'TOKEN_INVALID',
      ],
      [
        'tampered payload',
        '/v1/web/whoami',
        `Bearer ${header}.${b64({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), sub: 'root' })}.${webToken.split('.')[2]}`,
        'TOKEN_INVALID',
      ],
      ['alg none', '/v1/web/whoami', `Bearer ${unsigned}`, 'TOKEN_INVALID'],
      ['HS256 with the public key', '/v1/web/whoami', `Bearer ${confused}`, 'TOKEN_INVALID'],
      ['internal signature instead', '/v1/web/whoami', undefined, 'MALFORMED'],
    ];
    const seen = new Set<string>();
    for (const [name, path, authorization, code] of cases) {
      logLines.length = 0;
      const response =
        name === 'internal signature instead'
          ? await fetch(`${url}${path}`, { headers: signed() }).then(async (r) => ({
              status: r.status,
              body: await r.text(),
              headers: r.headers,
            }))
          : await get(path, authorization);
      expect(response.status, name).toBe(401);
      expect(JSON.parse(response.body), name).toEqual(UNAUTHORIZED);
      const headerNames = [...response.headers.keys()].filter((h) => h !== 'date').sort();
      seen.add(`${response.body} ${headerNames.join(',')}`);
      const logged = logLines.join('\n');
      expect(logged, name).toContain(`"code":"${code}"`);
      if (authorization && authorization.length > 20) expect(logged).not.toContain(authorization.slice(7));
    }
    expect(seen.size).toBe(1);
  });

  it('unknown routes under /v1/web are 401 until authenticated, then 404', async () => {
    expect((await get('/v1/web/no-such-route')).status).toBe(401);
    const known = await get('/v1/web/no-such-route', `Bearer ${await token('web')}`);
    expect([known.status, JSON.parse(known.body)]).toEqual([
      404,
      { code: 40400, message: 'not found', data: null },
    ]);
  });

  it('/v1/public is open to everyone, with no principal', async () => {
    const response = await get('/v1/public/status');
    expect([response.status, JSON.parse(response.body)]).toEqual([
      200,
      { code: 20000, message: '', data: { ok: true } },
    ]);
    expect(JSON.parse((await get('/v1/public/whoami', `Bearer ${await token('web')}`)).body).data).toBeNull();
  });
});

describe('jwtAuth and registerRouteGroups options', () => {
  const verifier = createJwtVerifier({
    jwks: { keys: [KEYS.issuer.jwk] },
    issuer: ISSUER,
    audience: AUDIENCE.web,
  });

  it.each([
    ['no verifier', { kind: 'web' }],
    ['a verifier that is not a function', { verifier: 'x', kind: 'web' }],
    ['no kind', { verifier }],
    ['an unknown kind', { verifier, kind: 'admin' }],
  ])('jwtAuth refuses %s at registration with a coded error', async (_name, options) => {
    const app = Fastify();
    await expect(app.register(jwtAuth, options as never).ready()).rejects.toMatchObject({
      name: 'RouteGroupOptionsError',
      code: 'ROUTE_GROUP_OPTIONS_INVALID',
    });
    await app.close();
  });

  it('refuses routes for a JWT group without its verifier', async () => {
    const app = Fastify();
    await expect(
      registerRouteGroups(app, {
        internal: { secret: SECRET, replay: { claim: async () => true } },
        routes: { service: () => {} },
      }),
    ).rejects.toBeInstanceOf(RouteGroupOptionsError);
    await app.close();
  });

  it('a group without options is not mounted: its paths are 404, never open', async () => {
    const app = Fastify();
    await registerRouteGroups(app, {
      internal: { secret: SECRET, replay: { claim: async () => true } },
      web: { verifier },
    });
    expect((await app.inject({ url: '/v1/service/whoami' })).json()).toEqual({
      code: 40400,
      message: 'not found',
      data: null,
    });
    expect((await app.inject({ url: '/v1/web/whoami' })).statusCode).toBe(401);
    await app.close();
  });
});
