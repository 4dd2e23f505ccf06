// Known answers from ../shared/vectors/platforms.json that concern the schemes in @signet/auth.
import { describe, expect, it } from 'vitest';
import { MemoryReplayStore, signInternal, signTem, verifyInternal, verifyTem } from '@signet/auth';
import { sharedVectors } from './support/shared-vectors.js';

interface Platforms {
  tem_l0_sha1: { accessKey: string; secretKey: string; header: string };
  internal_nonce_hmac: {
    secret: string;
    timestamp: string;
    nonce: string;
    stringToSign: string;
    signatureHex: string;
  };
}
const vectors = sharedVectors<Platforms>('platforms.json');

describe('seed 003 L0.SHA1 example', () => {
  const v = vectors.tem_l0_sha1;
  it('signs the header printed in the seed', () => {
    expect(
      signTem({
        accessKey: v.accessKey,
        secretKey: v.secretKey,
        algorithm: 'L0.SHA1',
        method: 'GET',
        url: '/',
      }).token,
    ).toBe(v.header);
  });
  it('accepts it when L0 keys are enabled, refuses it by default', async () => {
    const request = { authorization: `Bearer ${v.header}`, method: 'GET', url: '/api/v1/cluster' };
    const resolveKey = () => ({ secretKey: v.secretKey, algorithm: 'L0.SHA1' });
    await expect(verifyTem(request, { resolveKey, allowLevel0: true })).resolves.toMatchObject({
      algorithm: 'L0.SHA1',
    });
    await expect(verifyTem(request, { resolveKey })).rejects.toMatchObject({ code: 'ALGORITHM_NOT_ALLOWED' });
  });
});

describe('seed 001 sample inputs', () => {
  const v = vectors.internal_nonce_hmac;
  it('builds the string to sign and the signature', () => {
    const signed = signInternal({ secret: v.secret, timestamp: v.timestamp, nonce: v.nonce });
    expect(signed.stringToSign).toBe(v.stringToSign);
    expect(signed.signature).toBe(v.signatureHex);
  });
  it('verifies at the sample time', async () => {
    const headers = { 'x-signature': v.signatureHex, 'x-timestamp': v.timestamp, 'x-nonce': v.nonce };
    const now = () => Number(v.timestamp) * 1000 + 5_000;
    await expect(
      verifyInternal(headers, { secret: v.secret, replay: new MemoryReplayStore({ now }), now }),
    ).resolves.toMatchObject({
      nonce: v.nonce,
    });
  });
});
