// Seed 003's TEM-AUTH on the master's /api/v1, for every algorithm: what is accepted, what is
// refused (always in the TEM envelope), and that a refused write changes nothing in the store.
import { createHash } from 'node:crypto';
import { L0_DISABLED_MESSAGE } from '@signet/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteAccessKey, rotateAccessKey, setAccessKeyEnabled } from '../src/index.js';
import {
  type ApiMaster,
  type Key,
  newKey,
  READ_ONLY_MESSAGE,
  send,
  startApiMaster,
  storeSnapshot,
  TEM_UNAUTHORIZED,
  temAuthorization,
  temFail,
  temRequest,
  unixTime,
} from './support/api-master.js';
import { storeKinds } from './support/store.js';

const L3 = ['L3.SHA1', 'L3.SHA256', 'L3.HMAC-SHA256'] as const;
const L0 = ['L0.PLAINTEXT', 'L0.PAINTEXT', 'L0.SHA1'] as const;
const SUMMARY = '/api/v1/cluster/summary';
const NODE_BODY = JSON.stringify({ name: 'must-not-exist' });

/** Runs `refuse` and proves the store is as it was. */
async function unchanged(
  api: ApiMaster,
  refuse: () => Promise<void>,
  options: { ignoreKeyUsage?: boolean } = {},
) {
  const before = await storeSnapshot(api, options);
  await refuse();
  expect(await storeSnapshot(api, options)).toStrictEqual(before);
}

describe.each(storeKinds())('TEM-AUTH on /api/v1 on %s', (kind) => {
  let api: ApiMaster;
  let l0api: ApiMaster;
  beforeAll(async () => {
    [api, l0api] = await Promise.all([startApiMaster(kind), startApiMaster(kind, { allowLevel0Keys: true })]);
  });
  afterAll(async () => {
    await api?.close();
    await l0api?.close();
  });

  describe.each(L3)('%s', (algorithm) => {
    let key: Key;
    const slug = algorithm.replace(/[^A-Za-z0-9]/g, '').toLowerCase();
    beforeAll(async () => {
      key = await newKey(api, algorithm);
    });

    it('accepts GET, POST, PUT and DELETE, answering {Data, Success: true}', async () => {
      const summary = await temRequest(api, key, 'GET', SUMMARY);
      expect(summary.status).toBe(200);
      expect(summary.json).toStrictEqual({
        Data: {
          nodes: expect.any(Object),
          cores: expect.any(Object),
          users: expect.any(Object),
          traffic: expect.any(Object),
        },
        Success: true,
      });
      const email = `${slug}-crud@x.io`;
      const created = await temRequest(api, key, 'POST', '/api/v1/users', JSON.stringify({ email }));
      expect(created.status).toBe(200);
      expect(created.json).toMatchObject({ Data: { email, enabled: true }, Success: true });
      const updated = await temRequest(api, key, 'PUT', `/api/v1/users/${email}`, '{"enabled":false}');
      expect(updated.json).toMatchObject({ Data: { email, enabled: false }, Success: true });
      const deleted = await temRequest(api, key, 'DELETE', `/api/v1/users/${email}`);
      expect(deleted.json).toStrictEqual({ Data: { message: 'user deleted' }, Success: true });
    });

    it('accepts timestamps 250 s old and 250 s ahead', async () => {
      for (const offset of [-250, 250]) {
        const res = await temRequest(api, key, 'GET', SUMMARY, undefined, { timestamp: unixTime(offset) });
        expect(res.status, `offset ${offset}`).toBe(200);
      }
    });

    const refusals: [string, (k: Key) => { auth: string; path?: string; body?: string }][] = [
      [
        'a signature made with another secret',
        (k) => ({
          auth: temAuthorization({ ...k, secretKey: 'f'.repeat(32) }, 'POST', '/api/v1/nodes', NODE_BODY),
        }),
      ],
      [
        'a signature with one character changed',
        (k) => {
          const auth = temAuthorization(k, 'POST', '/api/v1/nodes', NODE_BODY);
          const parts = auth.split(':');
          const sig = parts[2]!;
          parts[2] = (sig[0] === 'a' ? 'b' : 'a') + sig.slice(1);
          return { auth: parts.join(':') };
        },
      ],
      [
        'a stale timestamp (301 s old)',
        (k) => ({
          auth: temAuthorization(k, 'POST', '/api/v1/nodes', NODE_BODY, { timestamp: unixTime(-301) }),
        }),
      ],
      [
        'a future timestamp (over 300 s ahead; 305 so that a second ticking on the way cannot bring it in)',
        (k) => ({
          auth: temAuthorization(k, 'POST', '/api/v1/nodes', NODE_BODY, { timestamp: unixTime(305) }),
        }),
      ],
      [
        'a timestamp in milliseconds',
        (k) => ({
          auth: temAuthorization(k, 'POST', '/api/v1/nodes', NODE_BODY, { timestamp: String(Date.now()) }),
        }),
      ],
      [
        'the body tampered after signing',
        (k) => ({ auth: temAuthorization(k, 'POST', '/api/v1/nodes', '{"name":"signed"}'), body: NODE_BODY }),
      ],
      [
        'a body added to a signed empty body',
        (k) => ({ auth: temAuthorization(k, 'POST', '/api/v1/nodes', '') }),
      ],
      [
        'a signature for another path',
        (k) => ({ auth: temAuthorization(k, 'POST', '/api/v1/users', NODE_BODY) }),
      ],
      [
        'a signature for another method',
        (k) => ({ auth: temAuthorization(k, 'PUT', '/api/v1/nodes', NODE_BODY) }),
      ],
      [
        'the query string tampered after signing',
        (k) => ({
          path: '/api/v1/nodes?x=2',
          auth: temAuthorization(k, 'POST', '/api/v1/nodes?x=1', NODE_BODY),
        }),
      ],
      [
        'a query string added after signing',
        (k) => ({ path: '/api/v1/nodes?x=1', auth: temAuthorization(k, 'POST', '/api/v1/nodes', NODE_BODY) }),
      ],
      [
        'an unknown access key',
        (k) => ({
          auth: temAuthorization({ ...k, accessKey: '0123456789abcdef' }, 'POST', '/api/v1/nodes', NODE_BODY),
        }),
      ],
      [
        'a signature in another algorithm than the key has',
        (k) => ({
          auth: temAuthorization(k, 'POST', '/api/v1/nodes', NODE_BODY, {
            algorithm: k.algorithm === 'L3.SHA1' ? 'L3.SHA256' : 'L3.SHA1',
          }),
        }),
      ],
      [
        'an L3 token without its time',
        (k) => ({ auth: temAuthorization(k, 'POST', '/api/v1/nodes', NODE_BODY).replace(/:[0-9]+$/, '') }),
      ],
      [
        'the secret itself (L0 style) for an L3 key',
        (k) => ({ auth: `Bearer TEM-AUTH:${k.accessKey}:${k.secretKey}` }),
      ],
    ];

    it.each(refusals)('refuses %s with 401, changing nothing', async (_name, make) => {
      await unchanged(api, async () => {
        const { auth, path = '/api/v1/nodes', body = NODE_BODY } = make(key);
        const res = await send(api, 'POST', path, { authorization: auth }, body);
        expect(res.status).toBe(401);
        expect(res.json).toStrictEqual(TEM_UNAUTHORIZED);
      });
    });

    it('refuses the exact replay of a POST, PUT or DELETE, and allows a replayed GET', async () => {
      const email = `${slug}-replay@x.io`;
      const body = JSON.stringify({ email });
      const post = temAuthorization(key, 'POST', '/api/v1/users', body);
      expect((await send(api, 'POST', '/api/v1/users', { authorization: post }, body)).status).toBe(200);
      await unchanged(api, async () => {
        expect((await send(api, 'POST', '/api/v1/users', { authorization: post }, body)).json).toStrictEqual(
          TEM_UNAUTHORIZED,
        );
      });
      const put = temAuthorization(key, 'PUT', `/api/v1/users/${email}`, '{"enabled":false}');
      expect(
        (await send(api, 'PUT', `/api/v1/users/${email}`, { authorization: put }, '{"enabled":false}'))
          .status,
      ).toBe(200);
      // enabled again in between: a replayed PUT would disable the user again
      expect((await temRequest(api, key, 'PUT', `/api/v1/users/${email}`, '{"enabled":true}')).status).toBe(
        200,
      );
      await unchanged(api, async () => {
        const res = await send(
          api,
          'PUT',
          `/api/v1/users/${email}`,
          { authorization: put },
          '{"enabled":false}',
        );
        expect(res.status).toBe(401);
        expect(res.json).toStrictEqual(TEM_UNAUTHORIZED);
      });
      const del = temAuthorization(key, 'DELETE', `/api/v1/users/${email}`);
      expect((await send(api, 'DELETE', `/api/v1/users/${email}`, { authorization: del })).status).toBe(200);
      // re-created (another body text: the same one within the second would be the replay of `post`)
      expect(
        (await temRequest(api, key, 'POST', '/api/v1/users', JSON.stringify({ email }, null, 1))).status,
      ).toBe(200);
      await unchanged(api, async () => {
        const res = await send(api, 'DELETE', `/api/v1/users/${email}`, { authorization: del });
        expect(res.status).toBe(401);
        expect(res.json).toStrictEqual(TEM_UNAUTHORIZED);
      });
      const get = temAuthorization(key, 'GET', `/api/v1/users/${email}`);
      for (let i = 0; i < 3; i++) {
        const res = await send(api, 'GET', `/api/v1/users/${email}`, { authorization: get });
        expect(res.status).toBe(200);
        expect(res.json).toMatchObject({ Data: { email }, Success: true });
      }
    });

    it('refuses a disabled key, accepts it once enabled again', async () => {
      const own = await newKey(api, algorithm);
      expect((await temRequest(api, own, 'GET', SUMMARY)).status).toBe(200);
      await setAccessKeyEnabled(api.master.db, own.accessKey, false);
      expect((await temRequest(api, own, 'GET', SUMMARY)).json).toStrictEqual(TEM_UNAUTHORIZED);
      await unchanged(api, async () => {
        expect((await temRequest(api, own, 'POST', '/api/v1/nodes', NODE_BODY)).json).toStrictEqual(
          TEM_UNAUTHORIZED,
        );
      });
      await setAccessKeyEnabled(api.master.db, own.accessKey, true);
      expect((await temRequest(api, own, 'GET', SUMMARY)).status).toBe(200);
    });

    it('refuses a deleted key', async () => {
      const own = await newKey(api, algorithm);
      expect((await temRequest(api, own, 'GET', SUMMARY)).status).toBe(200);
      expect(await deleteAccessKey(api.master.db, own.accessKey)).toBe(true);
      await unchanged(api, async () => {
        expect((await temRequest(api, own, 'GET', SUMMARY)).json).toStrictEqual(TEM_UNAUTHORIZED);
        expect((await temRequest(api, own, 'POST', '/api/v1/nodes', NODE_BODY)).json).toStrictEqual(
          TEM_UNAUTHORIZED,
        );
      });
    });

    it('after a rotation refuses the old secret and accepts the new one', async () => {
      const own = await newKey(api, algorithm);
      expect((await temRequest(api, own, 'GET', SUMMARY)).status).toBe(200);
      const { secretKey } = await rotateAccessKey(api.master.db, api.fernet, own.accessKey);
      expect(secretKey).not.toBe(own.secretKey);
      await unchanged(api, async () => {
        expect((await temRequest(api, own, 'GET', SUMMARY)).json).toStrictEqual(TEM_UNAUTHORIZED);
        expect((await temRequest(api, own, 'POST', '/api/v1/nodes', NODE_BODY)).json).toStrictEqual(
          TEM_UNAUTHORIZED,
        );
      });
      expect((await temRequest(api, { ...own, secretKey }, 'GET', SUMMARY)).status).toBe(200);
    });

    it('a read-only key reads, and writing is 403 with Code 40300, changing nothing', async () => {
      const readOnly = await newKey(api, algorithm, 'read-only');
      expect((await temRequest(api, readOnly, 'GET', '/api/v1/nodes')).json).toMatchObject({ Success: true });
      await unchanged(
        api,
        async () => {
          for (const [method, path, body] of [
            ['POST', '/api/v1/nodes', NODE_BODY],
            ['POST', '/api/v1/users', '{"email":"ro@x.io"}'],
            ['DELETE', `/api/v1/keys/${key.accessKey}`, undefined],
            ['POST', `/api/v1/keys/${key.accessKey}/rotate`, undefined],
            ['PUT', '/api/v1/nodes/1/settings', '{"port":1234}'],
          ] as const) {
            const res = await temRequest(api, readOnly, method, path, body);
            expect(res.status, `${method} ${path}`).toBe(403);
            expect(res.json, `${method} ${path}`).toStrictEqual(temFail(40300, READ_ONLY_MESSAGE));
          }
        },
        { ignoreKeyUsage: true },
      );
    });
  });

  describe('malformed Authorization headers', () => {
    let key: Key;
    beforeAll(async () => {
      key = await newKey(api, 'L3.SHA256');
    });
    const cases: [string, (k: Key) => Record<string, string>][] = [
      ['missing', () => ({})],
      ['empty', () => ({ authorization: '' })],
      [
        'not Bearer',
        (k) => ({
          authorization: temAuthorization(k, 'POST', '/api/v1/nodes', NODE_BODY).replace(
            /^Bearer /,
            'Basic ',
          ),
        }),
      ],
      [
        'without "Bearer "',
        (k) => ({
          authorization: temAuthorization(k, 'POST', '/api/v1/nodes', NODE_BODY).replace(/^Bearer /, ''),
        }),
      ],
      [
        'without the TEM-AUTH prefix',
        (k) => ({
          authorization: temAuthorization(k, 'POST', '/api/v1/nodes', NODE_BODY).replace('TEM-AUTH:', ''),
        }),
      ],
      [
        'with another prefix',
        (k) => ({
          authorization: temAuthorization(k, 'POST', '/api/v1/nodes', NODE_BODY).replace(
            'TEM-AUTH:',
            'TEM-AUTH2:',
          ),
        }),
      ],
      [
        'with an extra colon part',
        (k) => ({ authorization: `${temAuthorization(k, 'POST', '/api/v1/nodes', NODE_BODY)}:extra` }),
      ],
      [
        'with an empty part',
        (k) => ({
          authorization: temAuthorization(k, 'POST', '/api/v1/nodes', NODE_BODY).replace(
            /:([0-9a-f]+):/,
            '::',
          ),
        }),
      ],
      ['with only "TEM-AUTH:"', () => ({ authorization: 'Bearer TEM-AUTH:' })],
      ['with the access key only', (k) => ({ authorization: `Bearer TEM-AUTH:${k.accessKey}` })],
      [
        'with a non-numeric time',
        (k) => ({
          authorization: temAuthorization(k, 'POST', '/api/v1/nodes', NODE_BODY).replace(/:[0-9]+$/, ':soon'),
        }),
      ],
      ['a JWT instead', () => ({ authorization: 'Bearer eyJhbGciOiJFZERTQSJ9.e30.c2ln' })],
    ];
    it.each(cases)('%s: 401 in the TEM envelope, changing nothing', async (_name, headers) => {
      await unchanged(api, async () => {
        const write = await send(api, 'POST', '/api/v1/nodes', headers(key), NODE_BODY);
        expect(write.status).toBe(401);
        expect(write.json).toStrictEqual(TEM_UNAUTHORIZED);
        const read = await send(api, 'GET', SUMMARY, headers(key));
        expect(read.status).toBe(401);
        expect(read.json).toStrictEqual(TEM_UNAUTHORIZED);
      });
    });

    it('answers an unknown route 401 before authentication and 404 after', async () => {
      expect((await send(api, 'GET', '/api/v1/nothing-here', {})).json).toStrictEqual(TEM_UNAUTHORIZED);
      const res = await temRequest(api, key, 'GET', '/api/v1/nothing-here');
      expect(res.status).toBe(404);
      expect(res.json).toStrictEqual(temFail(40400, 'not found'));
    });
  });

  // L0 headers built by hand from the seed's text, not by signTem: TEM-AUTH:{ak}:{sk} and
  // TEM-AUTH:{ak}:SHA1({sk}).
  const l0Header = (algorithm: string, k: Key, secret = k.secretKey) =>
    `Bearer TEM-AUTH:${k.accessKey}:${
      algorithm === 'L0.SHA1' ? createHash('sha1').update(secret, 'utf8').digest('hex') : secret
    }`;

  describe.each(L0)('%s', (algorithm) => {
    it('is refused by default with the explicit L0 message, changing nothing', async () => {
      const key = await newKey(api, algorithm);
      await unchanged(
        api,
        async () => {
          const read = await send(api, 'GET', SUMMARY, { authorization: l0Header(algorithm, key) });
          expect(read.status).toBe(401);
          expect(read.json).toStrictEqual(temFail(40100, L0_DISABLED_MESSAGE));
          expect(read.json.Message).toMatch(/L0 keys are disabled/);
          const write = await send(
            api,
            'POST',
            '/api/v1/nodes',
            { authorization: l0Header(algorithm, key) },
            NODE_BODY,
          );
          expect(write.json).toStrictEqual(temFail(40100, L0_DISABLED_MESSAGE));
          // only a holder of the secret learns why: a wrong secret gets the generic answer
          const wrong = await send(api, 'GET', SUMMARY, {
            authorization: l0Header(algorithm, key, 'f'.repeat(32)),
          });
          expect(wrong.json).toStrictEqual(TEM_UNAUTHORIZED);
        },
        { ignoreKeyUsage: true },
      );
    });

    it('is accepted when the master allows L0 keys; a wrong secret is still refused', async () => {
      const key = await newKey(l0api, algorithm);
      const read = await send(l0api, 'GET', SUMMARY, { authorization: l0Header(algorithm, key) });
      expect(read.status).toBe(200);
      expect(read.json).toMatchObject({ Success: true });
      const email = `${algorithm.toLowerCase().replace(/[^a-z0-9]/g, '')}@x.io`;
      const write = await send(
        l0api,
        'POST',
        '/api/v1/users',
        { authorization: l0Header(algorithm, key) },
        JSON.stringify({ email }),
      );
      expect(write.status).toBe(200);
      expect(write.json).toMatchObject({ Data: { email }, Success: true });
      await unchanged(l0api, async () => {
        const wrong = await send(
          l0api,
          'POST',
          '/api/v1/nodes',
          { authorization: l0Header(algorithm, key, 'f'.repeat(32)) },
          NODE_BODY,
        );
        expect(wrong.status).toBe(401);
        expect(wrong.json).toStrictEqual(TEM_UNAUTHORIZED);
      });
    });
  });

  // The refusal matrix of an L0 key on a master that allows L0 keys: what is refused is refused for
  // its own reason (each case ends with the key's correct header accepted), in the TEM envelope,
  // and leaves the store as it was.
  describe.each(L0)('%s with L0 keys enabled', (algorithm) => {
    let key: Key;
    let l3: Key;
    beforeAll(async () => {
      key = await newKey(l0api, algorithm);
      l3 = await newKey(l0api, 'L3.SHA256');
    });

    /** The key's correct L0 header is accepted: the refusals before it were not for another reason. */
    const stillAccepted = async (k: Key) => {
      const res = await send(l0api, 'GET', SUMMARY, { authorization: l0Header(algorithm, k) });
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ Success: true });
    };

    /** A write and a read with `authorization`, both answered 401 in the TEM envelope. */
    const bothUnauthorized = async (authorization: string) => {
      const write = await send(l0api, 'POST', '/api/v1/nodes', { authorization }, NODE_BODY);
      expect(write.status, authorization).toBe(401);
      expect(write.json, authorization).toStrictEqual(TEM_UNAUTHORIZED);
      const read = await send(l0api, 'GET', SUMMARY, { authorization });
      expect(read.status, authorization).toBe(401);
      expect(read.json, authorization).toStrictEqual(TEM_UNAUTHORIZED);
    };

    it('refuses a disabled key with 401, changing nothing; accepts it once enabled again', async () => {
      const own = await newKey(l0api, algorithm);
      await stillAccepted(own);
      await setAccessKeyEnabled(l0api.master.db, own.accessKey, false);
      await unchanged(l0api, async () => {
        await bothUnauthorized(l0Header(algorithm, own));
        const del = await send(l0api, 'DELETE', `/api/v1/keys/${own.accessKey}`, {
          authorization: l0Header(algorithm, own),
        });
        expect(del.status).toBe(401);
        expect(del.json).toStrictEqual(TEM_UNAUTHORIZED);
      });
      await setAccessKeyEnabled(l0api.master.db, own.accessKey, true);
      await stillAccepted(own);
    });

    it("refuses an L0 header with an unknown or another key's access key with 401, changing nothing", async () => {
      await unchanged(l0api, async () => {
        // an access key that does not exist, with this key's secret
        await bothUnauthorized(l0Header(algorithm, { ...key, accessKey: '0123456789abcdef' }));
        // an existing (L3) key's access key with this key's secret, and that key's own secret L0 style
        await bothUnauthorized(l0Header(algorithm, { ...key, accessKey: l3.accessKey }));
        await bothUnauthorized(l0Header(algorithm, l3));
      });
      await stillAccepted(key);
    });

    it('a read-only key reads, and writing is 403 with Code 40300, changing nothing', async () => {
      const readOnly = await newKey(l0api, algorithm, 'read-only');
      const authorization = l0Header(algorithm, readOnly);
      const read = await send(l0api, 'GET', '/api/v1/nodes', { authorization });
      expect(read.status).toBe(200);
      expect(read.json).toMatchObject({ Success: true });
      await unchanged(
        l0api,
        async () => {
          for (const [method, path, body] of [
            ['POST', '/api/v1/nodes', NODE_BODY],
            ['POST', '/api/v1/users', '{"email":"ro-l0@x.io"}'],
            ['DELETE', `/api/v1/keys/${key.accessKey}`, undefined],
            ['DELETE', `/api/v1/keys/${readOnly.accessKey}`, undefined],
            ['POST', `/api/v1/keys/${readOnly.accessKey}/rotate`, undefined],
            ['PUT', '/api/v1/nodes/1/settings', '{"port":1234}'],
          ] as const) {
            const res = await send(l0api, method, path, { authorization }, body);
            expect(res.status, `${method} ${path}`).toBe(403);
            expect(res.json, `${method} ${path}`).toStrictEqual(temFail(40300, READ_ONLY_MESSAGE));
          }
        },
        { ignoreKeyUsage: true },
      );
    });

    const malformed: [string, (k: Key) => string][] = [
      // L0 takes no freshness: a :{unixtime} part is refused as malformed, not ignored
      ['with a :time part', (k) => `${l0Header(algorithm, k)}:${unixTime()}`],
      ['with a :time part and one more part', (k) => `${l0Header(algorithm, k)}:${unixTime()}:extra`],
      ['with a trailing colon', (k) => `${l0Header(algorithm, k)}:`],
      ['with an empty signature', (k) => `Bearer TEM-AUTH:${k.accessKey}:`],
      ['with an empty access key', (k) => l0Header(algorithm, { ...k, accessKey: '' })],
      ['with the access key only', (k) => `Bearer TEM-AUTH:${k.accessKey}`],
      ['with a space inside the signature part', (k) => l0Header(algorithm, k).replace(/:([^:]+)$/, ': $1')],
      ['without "Bearer "', (k) => l0Header(algorithm, k).replace(/^Bearer /, '')],
      ['Basic instead of Bearer', (k) => l0Header(algorithm, k).replace(/^Bearer /, 'Basic ')],
      ['without the TEM-AUTH prefix', (k) => l0Header(algorithm, k).replace('TEM-AUTH:', '')],
      ['with a lower-case tem-auth prefix', (k) => l0Header(algorithm, k).replace('TEM-AUTH:', 'tem-auth:')],
    ];
    it.each(malformed)(
      'refuses a header %s with 401 in the TEM envelope, changing nothing',
      async (_n, make) => {
        await unchanged(l0api, () => bothUnauthorized(make(key)));
        await stillAccepted(key);
      },
    );
  });

  it("the seed's L0.SHA1 example: SHA1('pingcap') is the documented signature", () => {
    expect(createHash('sha1').update('pingcap').digest('hex')).toBe(
      '73bf9ef43a44f42e2ea2894d62f0917af149a006',
    );
  });
});
