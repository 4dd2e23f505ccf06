import { describe, expect, it } from 'vitest';
import {
  MemoryReplayStore,
  TEM_ALGORITHMS,
  parseTemAuthorization,
  signTem,
  verifyTem,
  type TemKey,
} from '@signet/auth';

const NOW = 1_700_000_000_000;
const now = () => NOW;
const timestamp = String(NOW / 1000);
const keys = new Map<string, TemKey>([
  ['ak-l3', { secretKey: 'sk-l3', algorithm: 'L3.SHA256' }],
  ['ak-sha1', { secretKey: 'sk-sha1', algorithm: 'L3.SHA1' }],
  ['ak-hmac', { secretKey: 'sk-hmac', algorithm: 'L3.HMAC-SHA256' }],
  ['ak-l0', { secretKey: 'sk-l0', algorithm: 'L0.PAINTEXT' }],
  ['ak-off', { secretKey: 'sk-off', algorithm: 'L3.SHA256', enabled: false }],
]);
const resolveKey = (ak: string) => keys.get(ak);

function request(
  ak: string,
  method = 'POST',
  url = '/api/v1/nodes?x=1',
  body = '{"name":"n1"}',
  time = timestamp,
) {
  const key = keys.get(ak)!;
  const signed = signTem({
    accessKey: ak,
    secretKey: key.secretKey,
    algorithm: key.algorithm,
    method,
    url,
    body,
    timestamp: time,
  });
  return { authorization: signed.headers.Authorization, method, url, body };
}

describe('verifyTem', () => {
  it('accepts every L3 algorithm, and L0 only when enabled', async () => {
    for (const ak of ['ak-l3', 'ak-sha1', 'ak-hmac']) {
      await expect(verifyTem(request(ak), { resolveKey, now })).resolves.toMatchObject({
        accessKey: ak,
        timestampMs: NOW,
      });
    }
    await expect(verifyTem(request('ak-l0'), { resolveKey, now })).rejects.toMatchObject({
      code: 'ALGORITHM_NOT_ALLOWED',
    });
    await expect(verifyTem(request('ak-l0'), { resolveKey, now, allowLevel0: true })).resolves.toMatchObject({
      algorithm: 'L0.PLAINTEXT',
    });
  });

  it('L0.PLAINTEXT sends the secret and the seed spelling L0.PAINTEXT means the same', () => {
    const a = signTem({
      accessKey: 'pingcap',
      secretKey: 'pingcap',
      algorithm: 'L0.PAINTEXT',
      method: 'GET',
      url: '/',
    });
    expect(a.token).toBe('TEM-AUTH:pingcap:pingcap');
    expect(a.stringToSign).toBe('');
    expect(Object.keys(TEM_ALGORITHMS)).toContain('L0.PLAINTEXT');
  });

  it('binds method, url, body and time for L3', async () => {
    const good = request('ak-l3');
    for (const changed of [
      { ...good, method: 'PUT' },
      { ...good, url: '/api/v1/nodes?x=2' },
      { ...good, body: '{"name":"n2"}' },
    ]) {
      await expect(verifyTem(changed, { resolveKey, now })).rejects.toMatchObject({
        code: 'SIGNATURE_MISMATCH',
      });
    }
    const otherTime = good.authorization.replace(/:\d+$/, `:${NOW / 1000 - 1}`);
    await expect(verifyTem({ ...good, authorization: otherTime }, { resolveKey, now })).rejects.toMatchObject(
      { code: 'SIGNATURE_MISMATCH' },
    );
  });

  it('signs GET and DELETE with empty params', async () => {
    for (const method of ['GET', 'DELETE']) {
      const signed = request('ak-l3', method, '/api/v1/nodes/7', 'ignored');
      await expect(verifyTem({ ...signed, body: '' }, { resolveKey, now })).resolves.toBeDefined();
    }
  });

  it("accepts seed 003's own L0.PLAINTEXT curl token when L0 is enabled", async () => {
    const authorization = 'Bearer TEM-AUTH:5e685006656cfc80:75997c30879a58436fa55d73c7b9c5c9';
    const seedKey = () => ({ secretKey: '75997c30879a58436fa55d73c7b9c5c9', algorithm: 'L0.PLAINTEXT' });
    const request = { authorization, method: 'GET', url: '/api/v1/cluster/tidbs/tidb-e6fbbdd6f4b0affc' };
    await expect(verifyTem(request, { resolveKey: seedKey, allowLevel0: true })).resolves.toMatchObject({
      accessKey: '5e685006656cfc80',
    });
  });

  it('refuses unknown and disabled keys, stale and future times, and L3 without a time', async () => {
    await expect(
      verifyTem(
        { ...request('ak-l3'), authorization: request('ak-l3').authorization.replace('ak-l3', 'ak-none') },
        { resolveKey, now },
      ),
    ).rejects.toMatchObject({
      code: 'KEY_UNKNOWN',
    });
    await expect(verifyTem(request('ak-off'), { resolveKey, now })).rejects.toMatchObject({
      code: 'KEY_DISABLED',
    });
    for (const offset of [-301, 301]) {
      await expect(
        verifyTem(request('ak-l3', 'GET', '/', '', String(NOW / 1000 + offset)), { resolveKey, now }),
      ).rejects.toMatchObject({
        code: 'TIMESTAMP_EXPIRED',
      });
    }
    const noTime = request('ak-l3').authorization.replace(/:\d+$/, '');
    await expect(
      verifyTem({ ...request('ak-l3'), authorization: noTime }, { resolveKey, now }),
    ).rejects.toMatchObject({ code: 'TIMESTAMP_INVALID' });
  });

  it('refuses malformed Authorization headers', async () => {
    for (const authorization of [
      undefined,
      '',
      'Bearer',
      'Basic abc',
      'Bearer TEM-AUTH:',
      'Bearer TEM-AUTH:a',
      'Bearer TEM-AUTH:a:b:c:d',
      'Bearer TEM-AUTH:a::1',
      'TEM-AUTH:a:b:1',
      'Bearer TEM-AUTH:a:b c:1',
    ]) {
      await expect(
        verifyTem({ authorization, method: 'GET', url: '/' }, { resolveKey, now }),
      ).rejects.toMatchObject({ code: 'MALFORMED' });
    }
    expect(parseTemAuthorization('bearer  TEM-AUTH:ak:sig:1')).toEqual({
      accessKey: 'ak',
      signature: 'sig',
      time: '1',
    });
  });

  it('refuses an L0 header with a time part: L0 has none (seed 003: TEM-AUTH:{ak}:{signature})', async () => {
    const options = { resolveKey, now, allowLevel0: true };
    const bare = { authorization: 'Bearer TEM-AUTH:ak-l0:sk-l0', method: 'GET', url: '/' };
    await expect(verifyTem(bare, options)).resolves.toMatchObject({ algorithm: 'L0.PLAINTEXT' });
    for (const time of ['garbage', timestamp]) {
      const authorization = `Bearer TEM-AUTH:ak-l0:sk-l0:${time}`;
      await expect(verifyTem({ ...bare, authorization }, options), time).rejects.toMatchObject({
        code: 'MALFORMED',
      });
    }
  });

  it('reports a body that the method does not sign (GET, DELETE, HEAD, OPTIONS)', async () => {
    for (const method of ['GET', 'DELETE', 'HEAD', 'OPTIONS']) {
      const signed = request('ak-l3', method, '/api/v1/nodes/7', '');
      await expect(verifyTem(signed, { resolveKey, now }), method).resolves.toMatchObject({
        unsignedBody: false,
      });
      await expect(
        verifyTem({ ...signed, body: '{"evil":1}' }, { resolveKey, now }),
        method,
      ).resolves.toMatchObject({ unsignedBody: true });
    }
    for (const method of ['POST', 'PUT', 'PATCH']) {
      await expect(verifyTem(request('ak-l3', method), { resolveKey, now }), method).resolves.toMatchObject({
        unsignedBody: false,
      });
    }
  });

  it('refuses an exact replay of a state-changing request, not of a read', async () => {
    const replay = new MemoryReplayStore({ now });
    const post = request('ak-l3');
    await verifyTem(post, { resolveKey, now, replay });
    await expect(verifyTem(post, { resolveKey, now, replay })).rejects.toMatchObject({
      code: 'REQUEST_REPLAYED',
    });
    const get = request('ak-l3', 'GET', '/api/v1/nodes', '');
    await verifyTem(get, { resolveKey, now, replay });
    await expect(verifyTem(get, { resolveKey, now, replay })).resolves.toBeDefined();
  });
});
