// The master's JWT signing keys in the store, on SQLite and PostgreSQL: Ed25519 keys made on first
// use and agreed on by concurrent loaders, private keys stored only Fernet-encrypted, a JWKS that
// jose verifies tokens with, and rotation that keeps the previous key verifying until the next one.
import { createHash, createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { Fernet, generateFernetKey } from '@signet/auth';
import { createLocalJWKSet, jwtVerify, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { loadJwtKeys, openDatabase, rotateJwtKey, type JwtSigningKeys } from '../src/store/index.js';
import { storeKinds, useTestStore } from './support/store.js';

const T0 = new Date('2030-01-01T00:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

const sign = (keys: JwtSigningKeys) =>
  new SignJWT({ sub: 'alice' })
    .setProtectedHeader({ alg: 'EdDSA', kid: keys.kid })
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(keys.privateKey);
const verify = (token: string, jwks: JwtSigningKeys['jwks']) =>
  jwtVerify(token, createLocalJWKSet(jwks), { algorithms: ['EdDSA'] });

/** RFC 7638: SHA-256 over the required members in lexicographic order, base64url. */
const thumbprint = (x: string) =>
  createHash('sha256').update(`{"crv":"Ed25519","kty":"OKP","x":"${x}"}`).digest('base64url');

describe.each(storeKinds())('store JWT keys (%s)', (kind) => {
  const store = useTestStore(kind);
  const rows = () => store.db.selectFrom('jwt_keys').selectAll().orderBy('created_at').execute();

  it('makes an Ed25519 key on first load, stored Fernet-encrypted, and signs tokens the JWKS verifies', async () => {
    const keys = await loadJwtKeys(store.db, store.fernet, { now: T0 });
    expect(keys.privateKey.asymmetricKeyType).toBe('ed25519');
    expect(keys.privateKey.type).toBe('private');
    expect(keys.jwks.keys).toHaveLength(1);
    const [jwk] = keys.jwks.keys;
    expect(jwk).toEqual({
      kty: 'OKP',
      crv: 'Ed25519',
      x: expect.any(String),
      kid: keys.kid,
      alg: 'EdDSA',
      use: 'sig',
    });
    expect(keys.kid).toBe(thumbprint(jwk!.x!));

    const [row] = await rows();
    expect(row!.kid).toBe(keys.kid);
    expect(row!.private_key).toMatch(/^gAAAAA[A-Za-z0-9_-]+=*$/);
    expect(row!.private_key).not.toContain('PRIVATE KEY');
    const pem = Buffer.from(store.fernet.decrypt(row!.private_key)).toString('utf8');
    expect(pem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(createPrivateKey(pem).export({ format: 'jwk' }).x).toBe(jwk!.x);
    expect(row!.public_jwk).not.toContain('"d"');

    const { payload, protectedHeader } = await verify(await sign(keys), keys.jwks);
    expect(payload.sub).toBe('alice');
    expect(protectedHeader.kid).toBe(keys.kid);
    // A key that is not in the JWKS does not verify.
    const stranger = { ...keys, privateKey: generateKeyPairSync('ed25519').privateKey };
    await expect(verify(await sign(stranger), keys.jwks)).rejects.toThrow();

    // Loading again reuses the key.
    const again = await loadJwtKeys(store.db, store.fernet);
    expect(again.kid).toBe(keys.kid);
    expect(again.jwks).toEqual(keys.jwks);
    expect(await rows()).toHaveLength(1);
  });

  it('agrees on one key when loaders race on a fresh store', async () => {
    const second = kind === 'postgres' ? await openDatabase(store.options) : store.db; // another pool
    try {
      const loads = await Promise.all(
        Array.from({ length: 6 }, (_, i) => loadJwtKeys(i % 2 ? second : store.db, store.fernet)),
      );
      expect(new Set(loads.map((k) => k.kid)).size).toBe(1);
      expect(await rows()).toHaveLength(1);
    } finally {
      if (second !== store.db) await second.destroy();
    }
  });

  it('rotates: the new key signs, the previous one still verifies until the next rotation', async () => {
    const first = await loadJwtKeys(store.db, store.fernet, { now: T0 });
    const oldToken = await sign(first);
    const secondKid = await rotateJwtKey(store.db, store.fernet, { now: at(1000) });
    const second = await loadJwtKeys(store.db, store.fernet);
    expect(second.kid).toBe(secondKid);
    expect(second.kid).not.toBe(first.kid);
    expect(second.jwks.keys.map((k) => k.kid)).toEqual([second.kid, first.kid]);
    await expect(verify(oldToken, second.jwks)).resolves.toBeTruthy();
    await expect(verify(await sign(second), second.jwks)).resolves.toBeTruthy();

    // Same clock reading: the new key is still the newest.
    const thirdKid = await rotateJwtKey(store.db, store.fernet, { now: at(1000) });
    const third = await loadJwtKeys(store.db, store.fernet);
    expect(third.kid).toBe(thirdKid);
    expect(third.jwks.keys.map((k) => k.kid)).toEqual([thirdKid, secondKid]);
    await expect(verify(oldToken, third.jwks)).rejects.toThrow();
    const retired = (await rows()).find((r) => r.kid === first.kid);
    expect(retired!.retired_at).not.toBeNull();
  });

  it('rotating a fresh store just makes the first key', async () => {
    const kid = await rotateJwtKey(store.db, store.fernet, { now: T0 });
    expect((await loadJwtKeys(store.db, store.fernet)).kid).toBe(kid);
  });

  it('reads a private key stored as a JWK, and refuses a store under another ENCRYPTION_KEY', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const { kty, crv, x } = publicKey.export({ format: 'jwk' });
    await store.db
      .insertInto('jwt_keys')
      .values({
        kid: 'imported',
        private_key: store.fernet.encrypt(JSON.stringify(privateKey.export({ format: 'jwk' }))),
        public_jwk: JSON.stringify({ kty, crv, x }),
        created_at: T0.getTime(),
        retired_at: null,
      })
      .execute();
    const keys = await loadJwtKeys(store.db, store.fernet);
    expect(keys.kid).toBe('imported');
    await expect(verify(await sign(keys), keys.jwks)).resolves.toBeTruthy();
    await expect(loadJwtKeys(store.db, new Fernet(generateFernetKey()))).rejects.toMatchObject({
      code: 'DECRYPTION_FAILED',
    });
  });
});
