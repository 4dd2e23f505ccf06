// Registration with a certificate to pin (Signet's `tls_fingerprint` beside the seed's `token` and
// `timestamp`), on SQLite and PostgreSQL: stored in lower case, validated (changing nothing when
// refused), optional (the seed's own body still registers, with no pin), replaced or dropped by a
// new registration, and a recorded mismatch shows on the node until then.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Fernet, generateFernetKey, MemoryReplayStore } from '@signet/auth';
import { createMaster, type Master } from '../src/index.js';
import { createNode, flagTlsMismatch, getNode, issueRegistrationToken } from '../src/store/index.js';
import { createStoreLocation, storeKinds, type StoreLocation } from './support/store.js';

const PIN = 'ab'.repeat(32);
const now = () => Math.floor(Date.now() / 1000);

describe.each(storeKinds())('registering with tls_fingerprint on %s', (kind) => {
  let location: StoreLocation;
  let master: Master;
  let key: string;
  beforeAll(async () => {
    location = await createStoreLocation(kind);
    key = generateFernetKey();
    master = await createMaster({
      dataDir: location.options.dataDir,
      databaseUrl: location.options.databaseUrl,
      ...(location.options.schema ? { databaseSchema: location.options.schema } : {}),
      encryptionKeys: [key],
      replay: new MemoryReplayStore(),
      logLevel: 'silent',
      consoleDir: null,
    });
  });
  afterAll(async () => {
    await master?.close();
    await location?.dispose();
  });

  const register = (body: object) =>
    master.app.inject({ method: 'POST', url: '/api/node/register', payload: { timestamp: now(), ...body } });
  const fernet = () => new Fernet([key]);

  it('stores the fingerprint (any case, kept lower-case); registering again replaces it, or drops it', async () => {
    const { nodeId, token } = await createNode(master.db, fernet(), 'pinned-1');
    const first = await register({
      token,
      tls_fingerprint: PIN.toUpperCase(),
      worker_url: 'https://10.0.0.5:9090',
    });
    expect(first.statusCode, first.body).toBe(200);
    expect((await getNode(master.db, nodeId))!.tlsFingerprint).toBe(PIN);

    expect(await flagTlsMismatch(master.db, nodeId, PIN, new Date(1_700_000_000_000))).toBe(true);
    expect((await getNode(master.db, nodeId))!.tlsMismatchAt).toEqual(new Date(1_700_000_000_000));
    // A flag for a pin that is no longer the node's is not recorded.
    expect(await flagTlsMismatch(master.db, nodeId, 'cd'.repeat(32))).toBe(false);

    const again = await issueRegistrationToken(master.db, nodeId);
    const replaced = await register({ token: again.token, tls_fingerprint: 'cd'.repeat(32) });
    expect(replaced.statusCode, replaced.body).toBe(200);
    expect(await getNode(master.db, nodeId)).toMatchObject({
      tlsFingerprint: 'cd'.repeat(32),
      tlsMismatchAt: null,
    });

    // The seed's own body (no tls_fingerprint): registers, and the node is verified by CAs again.
    const seed = await issueRegistrationToken(master.db, nodeId);
    const plain = await register({ token: seed.token });
    expect(plain.statusCode, plain.body).toBe(200);
    expect(await getNode(master.db, nodeId)).toMatchObject({ tlsFingerprint: null, tlsMismatchAt: null });
  });

  it('refuses a fingerprint that is not 64 hex digits, or beside a plain http:// worker_url, using up no token', async () => {
    const { nodeId, token } = await createNode(master.db, fernet(), 'pinned-2');
    for (const body of [
      { token, tls_fingerprint: 'ab'.repeat(31) },
      { token, tls_fingerprint: `${'ab'.repeat(31)}zz` },
      { token, tls_fingerprint: 'ab:'.repeat(31) + 'ab' },
      { token, tls_fingerprint: PIN, worker_url: 'http://10.0.0.5:9090' },
    ]) {
      const refused = await register(body);
      expect(refused.statusCode, JSON.stringify(body)).toBe(400);
      expect(JSON.parse(refused.body)).toEqual({ error: expect.stringContaining('请求参数错误') });
    }
    expect((await getNode(master.db, nodeId))!.registeredAt).toBeNull();
    const accepted = await register({ token, tls_fingerprint: PIN, worker_url: 'https://10.0.0.5:9090' });
    expect(accepted.statusCode, accepted.body).toBe(200);
  });
});
