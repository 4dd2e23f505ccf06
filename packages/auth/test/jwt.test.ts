import { exportJWK, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import { bearerToken, createJwtVerifier, signJwt } from '@signet/auth';

const NOW = 1_700_000_000_000;
const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
const other = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'EdDSA' }] };
const base = {
  privateKey,
  kid: 'k1',
  issuer: 'signet-master',
  audience: 'signet-web',
  subject: 'admin',
  now: () => NOW,
};
const verify = createJwtVerifier({ jwks, issuer: 'signet-master', audience: 'signet-web', now: () => NOW });

describe('JWT for /v1/web and /v1/service', () => {
  it('issues tokens the verifier accepts, with expiry and audience', async () => {
    const token = await signJwt({ role: 'admin' }, base);
    await expect(verify(token)).resolves.toMatchObject({
      sub: 'admin',
      role: 'admin',
      aud: 'signet-web',
      exp: NOW / 1000 + 900,
    });
  });

  it('refuses expired tokens, other audiences, other issuers, other keys', async () => {
    const expired = await signJwt({}, { ...base, now: () => NOW - 3600_000 });
    await expect(verify(expired)).rejects.toMatchObject({ code: 'TOKEN_EXPIRED' });
    for (const token of [
      await signJwt({}, { ...base, audience: 'signet-service' }),
      await signJwt({}, { ...base, issuer: 'someone' }),
      await signJwt({}, { ...base, privateKey: other.privateKey }),
      'not.a.token',
    ]) {
      await expect(verify(token)).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
    }
  });

  it('never puts the token in the error message', async () => {
    const token = await signJwt({}, { ...base, audience: 'elsewhere' });
    const error = await verify(token).catch((e: Error) => e);
    expect(String(error)).not.toContain(token);
    expect(String(error)).not.toContain(token.split('.')[2]);
  });

  it('reads Bearer headers strictly', () => {
    expect(bearerToken('Bearer a.b.c')).toBe('a.b.c');
    for (const header of [undefined, '', 'Bearer', 'Basic a.b.c', 'Bearer a b'])
      expect(() => bearerToken(header)).toThrow(/Bearer/);
  });
});

describe('JWT issued-at', () => {
  it('refuses a token issued in the future beyond the clock tolerance', async () => {
    const future = await signJwt({}, { ...base, now: () => NOW + 3600_000 });
    await expect(verify(future)).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
  });
});
