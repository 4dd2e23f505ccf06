// /api/v1 (seed 003) over real HTTP: every algorithm's header, computed by real Python, is accepted;
// every failed check answers its status in the TEM envelope, the route handler never runs, and the
// reason is only in the log, which never holds a secret, a signature or the header.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ALGORITHMS,
  type Answer,
  authorization,
  KEYS,
  type KeyName,
  type OpenApiApp,
  openApiApp,
  PREFIX,
  send,
  UNAUTHORIZED,
} from './support/openapi.js';
import { pythonTemAuthorizations } from './support/openapi-python.js';
import { listen } from './support/route-groups.js';

const L0_REFUSED = {
  Data: null,
  Success: false,
  Code: 40100,
  Message: 'L0 keys are disabled on this server: ask the operator to enable them, or use an L3 algorithm',
};
const nowSeconds = () => Math.floor(Date.now() / 1000);
const BODY = '{"name":"node-1","settings":{"enable_vless":true}}';

/** Every secret and every header value the tests sent: none may appear in a log line. */
const sentSecrets = Object.values(KEYS).map((key) => key.secretKey);

async function started(options: Parameters<typeof openApiApp>[0]) {
  const logLines: string[] = [];
  const server = await openApiApp({ ...options, logLines });
  const { url } = await listen(server.app);
  return { ...server, url, logLines };
}

describe('/api/v1 with L0 keys enabled', () => {
  let server: OpenApiApp & { url: string; logLines: string[] };
  beforeAll(async () => {
    server = await started({ allowLevel0: true });
  });
  afterAll(async () => server.app.close());

  it.each(ALGORITHMS)('%s: a GET signed by Python gets 200 and {Data, Success: true}', async (algorithm) => {
    const key = KEYS[algorithm];
    const url = `${PREFIX}/whoami?page=2&q=a%20b`;
    const [header] = pythonTemAuthorizations([{ ...key, method: 'GET', url, time: String(nowSeconds()) }]);
    const answer = await send(server.url, 'GET', url, { authorization: header! });
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({
      Data: {
        principal: {
          kind: 'access-key',
          accessKey: key.accessKey,
          algorithm: algorithm === 'L0.PAINTEXT' ? 'L0.PLAINTEXT' : algorithm,
          subject: `owner-of-${algorithm}`,
          scopes: ['read', 'write'],
        },
        query: { page: '2', q: 'a b' },
      },
      Success: true,
    });
    expect(server.authenticated.at(-1)).toBe(key.accessKey);
  });

  it.each(ALGORITHMS)('%s: a POST with a JSON body signed by Python gets 200', async (algorithm) => {
    const [header] = pythonTemAuthorizations([
      { ...KEYS[algorithm], method: 'POST', url: `${PREFIX}/nodes`, body: BODY, time: String(nowSeconds()) },
    ]);
    const answer = await send(server.url, 'POST', `${PREFIX}/nodes`, { authorization: header!, body: BODY });
    expect([answer.status, answer.json]).toEqual([
      200,
      { Data: { created: JSON.parse(BODY) }, Success: true },
    ]);
  });

  it("the seed's curl line (an L0.PLAINTEXT key) gets the cluster", async () => {
    const key = KEYS.seedL0;
    const answer = await send(server.url, 'GET', `${PREFIX}/cluster/tidbs/tidb-e6fbbdd6f4b0affc`, {
      authorization: `Bearer TEM-AUTH:${key.accessKey}:${key.secretKey}`,
    });
    expect([answer.status, answer.json]).toEqual([
      200,
      { Data: { Alias: 'tidb-e6fbbdd6f4b0affc' }, Success: true },
    ]);
  });

  it('an L0 key with the wrong secret is the generic 401', async () => {
    const key = KEYS['L0.PLAINTEXT'];
    const answer = await send(server.url, 'GET', `${PREFIX}/whoami`, {
      authorization: `Bearer TEM-AUTH:${key.accessKey}:not-the-secret`,
    });
    expect([answer.status, answer.json]).toEqual([401, UNAUTHORIZED]);
  });
});

describe('/api/v1 with L0 keys disabled (the default)', () => {
  let server: OpenApiApp & { url: string; logLines: string[] };
  beforeAll(async () => {
    server = await started({});
  });
  afterAll(async () => server.app.close());
  beforeEach(() => {
    server.calls.count = 0;
    server.logLines.length = 0;
  });

  const expectRefused = (answer: Answer, status: number, body: unknown, name = '') => {
    expect([answer.status, answer.json], name).toEqual([status, body]);
    expect(server.calls.count, `${name}: the handler must not run`).toBe(0);
  };

  it.each(['L0.PLAINTEXT', 'L0.PAINTEXT', 'L0.SHA1'] as const)(
    '%s with the right secret is refused with the explicit message',
    async (algorithm) => {
      const [header] = pythonTemAuthorizations([
        { ...KEYS[algorithm], method: 'GET', url: `${PREFIX}/whoami` },
      ]);
      expectRefused(
        await send(server.url, 'GET', `${PREFIX}/whoami`, { authorization: header! }),
        401,
        L0_REFUSED,
      );
      expect(server.logLines.join('\n')).toContain('"code":"ALGORITHM_NOT_ALLOWED"');
    },
  );

  it('an L0 key with the wrong secret learns nothing: the generic 401', async () => {
    const key = KEYS['L0.SHA1'];
    const answer = await send(server.url, 'GET', `${PREFIX}/whoami`, {
      authorization: `Bearer TEM-AUTH:${key.accessKey}:${'0'.repeat(40)}`,
    });
    expectRefused(answer, 401, UNAUTHORIZED);
  });

  it.each(['L3.SHA1', 'L3.SHA256', 'L3.HMAC-SHA256'] as const)('%s is accepted', async (algorithm) => {
    const url = `${PREFIX}/whoami`;
    const [header] = pythonTemAuthorizations([
      { ...KEYS[algorithm], method: 'GET', url, time: String(nowSeconds()) },
    ]);
    const answer = await send(server.url, 'GET', url, { authorization: header! });
    expect(answer.status).toBe(200);
    expect(server.calls.count).toBe(1);
  });

  it('every failed check is 401 in the TEM envelope, the handler never runs, the reason only logged', async () => {
    const now = nowSeconds();
    const whoami = `${PREFIX}/whoami?page=1`;
    const good = authorization('L3.SHA256', { method: 'GET', url: whoami });
    const [, ak, signature, time] = good.split(':');
    const cases: [string, string | undefined, string, string][] = [
      ['no Authorization', undefined, whoami, 'MALFORMED'],
      ['not Bearer', good.replace('Bearer', 'Basic'), whoami, 'MALFORMED'],
      ['no TEM-AUTH prefix', `Bearer ${ak}:${signature}:${time}`, whoami, 'MALFORMED'],
      ['another prefix', good.replace('TEM-AUTH', 'TEM-AUTHX'), whoami, 'MALFORMED'],
      ['too many colons', `${good}:1`, whoami, 'MALFORMED'],
      ['an empty field', good.replace(`:${signature}:`, '::'), whoami, 'MALFORMED'],
      ['L3 without time', `Bearer TEM-AUTH:${ak}:${signature}`, whoami, 'TIMESTAMP_INVALID'],
      ['time not decimal', `Bearer TEM-AUTH:${ak}:${signature}:soon`, whoami, 'TIMESTAMP_INVALID'],
      ['bad signature', good.replace(signature!, 'f'.repeat(64)), whoami, 'SIGNATURE_MISMATCH'],
      [
        'signature of another key',
        authorization('L3.SHA1', { method: 'GET', url: whoami }).replace(
          KEYS['L3.SHA1'].accessKey,
          KEYS['L3.SHA256'].accessKey,
        ),
        whoami,
        'SIGNATURE_MISMATCH',
      ],
      ['wrong AK', good.replace(ak!, 'ak-nobody'), whoami, 'KEY_UNKNOWN'],
      ['disabled key', authorization('disabled', { method: 'GET', url: whoami }), whoami, 'KEY_DISABLED'],
      [
        'stale timestamp',
        authorization('L3.SHA256', { method: 'GET', url: whoami, timestamp: String(now - 301) }),
        whoami,
        'TIMESTAMP_EXPIRED',
      ],
      // Beyond the window by more than this test can take, since the clock moves towards it.
      [
        'future timestamp',
        authorization('L3.SHA256', { method: 'GET', url: whoami, timestamp: String(now + 330) }),
        whoami,
        'TIMESTAMP_EXPIRED',
      ],
      ['query string tampered', good, `${PREFIX}/whoami?page=2`, 'SIGNATURE_MISMATCH'],
      ['query string dropped', good, `${PREFIX}/whoami`, 'SIGNATURE_MISMATCH'],
      ['another path', good, `${PREFIX}/cluster/tidbs/x?page=1`, 'SIGNATURE_MISMATCH'],
      [
        'another method',
        authorization('L3.SHA256', { method: 'DELETE', url: whoami }),
        whoami,
        'SIGNATURE_MISMATCH',
      ],
    ];
    for (const [name, header, path, code] of cases) {
      server.logLines.length = 0;
      const answer = await send(
        server.url,
        'GET',
        path,
        header === undefined ? {} : { authorization: header },
      );
      expectRefused(answer, 401, UNAUTHORIZED, name);
      const logged = server.logLines.join('\n');
      expect(logged, name).toContain(`"code":"${code}"`);
      expect(logged, name).toContain('"group":"openapi"');
      expect(logged, name).not.toContain(signature);
      if (header !== undefined) expect(logged, name).not.toContain(header.slice('Bearer '.length));
      for (const secret of sentSecrets) expect(logged, name).not.toContain(secret);
    }
  });

  it('a body signed differently from the body sent is 401', async () => {
    const url = `${PREFIX}/nodes`;
    const header = authorization('L3.SHA256', { method: 'POST', url, body: BODY });
    for (const sent of [
      BODY.replace('node-1', 'node-2'),
      `${BODY} `,
      JSON.stringify(JSON.parse(BODY), null, 1),
    ]) {
      expectRefused(
        await send(server.url, 'POST', url, { authorization: header, body: sent }),
        401,
        UNAUTHORIZED,
      );
    }
    // A header signed without the body does not cover one either.
    const bare = authorization('L3.SHA256', { method: 'POST', url });
    expectRefused(
      await send(server.url, 'POST', url, { authorization: bare, body: BODY }),
      401,
      UNAUTHORIZED,
    );
  });

  it('an exact replay of a POST, PUT or DELETE is refused; a replayed GET is accepted', async () => {
    for (const [method, url, body] of [
      ['POST', `${PREFIX}/nodes`, BODY],
      ['PUT', `${PREFIX}/nodes/n1`, '{"name":"renamed"}'],
      ['DELETE', `${PREFIX}/nodes/n1`, undefined],
    ] as const) {
      server.calls.count = 0;
      const header = authorization('L3.SHA256', { method, url, ...(body ? { body } : {}) });
      const options = { authorization: header, ...(body ? { body } : {}) };
      expect((await send(server.url, method, url, options)).status, method).toBe(200);
      server.logLines.length = 0;
      const replayed = await send(server.url, method, url, options);
      expect([replayed.status, replayed.json], method).toEqual([401, UNAUTHORIZED]);
      expect(server.calls.count, method).toBe(1);
      expect(server.logLines.join('\n')).toContain('"code":"REQUEST_REPLAYED"');
    }
    server.calls.count = 0;
    const get = authorization('L3.SHA256', { method: 'GET', url: `${PREFIX}/whoami` });
    for (let i = 0; i < 3; i++) {
      expect((await send(server.url, 'GET', `${PREFIX}/whoami`, { authorization: get })).status).toBe(200);
    }
    expect(server.calls.count).toBe(3);
  });

  it('a forged copy does not use up the real request', async () => {
    const url = `${PREFIX}/nodes/n2`;
    const real = authorization('L3.SHA256', { method: 'DELETE', url });
    const forged = real.replace(/:([0-9a-f]{64}):/, `:${'0'.repeat(64)}:`);
    expect((await send(server.url, 'DELETE', url, { authorization: forged })).status).toBe(401);
    expect((await send(server.url, 'DELETE', url, { authorization: real })).status).toBe(200);
  });

  it('a read-only key may read but writing is 403, and the handler does not run', async () => {
    const read = authorization('readOnly', { method: 'GET', url: `${PREFIX}/whoami` });
    expect((await send(server.url, 'GET', `${PREFIX}/whoami`, { authorization: read })).status).toBe(200);
    server.calls.count = 0;
    const forbidden = {
      Data: null,
      Success: false,
      Code: 40300,
      Message: 'this access key does not have the "write" scope',
    };
    const post = authorization('readOnly', { method: 'POST', url: `${PREFIX}/nodes`, body: BODY });
    expectRefused(
      await send(server.url, 'POST', `${PREFIX}/nodes`, { authorization: post, body: BODY }),
      403,
      forbidden,
    );
    const del = authorization('readOnly', { method: 'DELETE', url: `${PREFIX}/nodes/n1` });
    expectRefused(
      await send(server.url, 'DELETE', `${PREFIX}/nodes/n1`, { authorization: del }),
      403,
      forbidden,
    );
  });

  it('the signature is checked before the body schema: unsigned invalid input is 401, signed is 400', async () => {
    const url = `${PREFIX}/nodes`;
    const body = '{"title":"no name"}';
    expectRefused(await send(server.url, 'POST', url, { body }), 401, UNAUTHORIZED);
    const header = authorization('L3.SHA256', { method: 'POST', url, body });
    const answer = await send(server.url, 'POST', url, { authorization: header, body });
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ Data: null, Success: false, Code: 40000 });
    expect((answer.json as { Message: string }).Message).toContain('name');
    expect(server.calls.count).toBe(0);
  });

  it('unknown routes are 401 until signed, then 404 in the envelope', async () => {
    const url = `${PREFIX}/no-such-route`;
    expectRefused(await send(server.url, 'GET', url), 401, UNAUTHORIZED);
    const answer = await send(server.url, 'GET', url, {
      authorization: authorization('L3.SHA256', { method: 'GET', url }),
    });
    expect([answer.status, answer.json]).toEqual([
      404,
      { Data: null, Success: false, Code: 40400, Message: 'not found' },
    ]);
  });

  it('the access log holds no secret, signature or Authorization value', async () => {
    const headers: string[] = [];
    for (const name of Object.keys(KEYS) as KeyName[]) {
      const header = authorization(name, { method: 'POST', url: `${PREFIX}/nodes`, body: BODY });
      headers.push(header);
      await send(server.url, 'POST', `${PREFIX}/nodes`, { authorization: header, body: BODY });
    }
    const logged = server.logLines.join('\n');
    expect(logged).toContain('"code":"ALGORITHM_NOT_ALLOWED"'); // the log did capture the refusals
    expect(logged).toContain('"code":"KEY_DISABLED"');
    for (const header of headers) {
      expect(logged).not.toContain(header.slice('Bearer '.length));
      expect(logged).not.toContain(header.split(':')[2]!);
    }
    for (const secret of sentSecrets) expect(logged).not.toContain(secret);
    expect(logged.toLowerCase()).not.toContain('tem-auth');
  });
});
