import { describe, expect, it } from 'vitest';
import { MemoryReplayStore, signInternal, verifyInternal } from '@signet/auth';

const secret = 'my-secret-key';
const NOW = 1_700_000_000_000;
const now = () => NOW;
const timestamp = String(NOW / 1000);
const headersOf = (signed: ReturnType<typeof signInternal>) => ({
  'x-signature': signed.headers['X-Signature'],
  'x-timestamp': signed.headers['X-Timestamp'],
  'x-nonce': signed.headers['X-Nonce'],
});

describe('verifyInternal', () => {
  it('accepts a signed request once and refuses its nonce after that', async () => {
    const replay = new MemoryReplayStore({ now });
    const headers = headersOf(signInternal({ secret, timestamp, nonce: 'abc123' }));
    await expect(verifyInternal(headers, { secret, replay, now })).resolves.toMatchObject({
      nonce: 'abc123',
      timestampMs: NOW,
    });
    await expect(verifyInternal(headers, { secret, replay, now })).rejects.toMatchObject({
      code: 'NONCE_REPLAYED',
    });
  });

  it('claims the nonce only after the signature is valid', async () => {
    const replay = new MemoryReplayStore({ now });
    const headers = headersOf(signInternal({ secret, timestamp, nonce: 'n-1' }));
    await expect(
      verifyInternal({ ...headers, 'x-signature': '00'.repeat(32) }, { secret, replay, now }),
    ).rejects.toMatchObject({
      code: 'SIGNATURE_MISMATCH',
    });
    await expect(verifyInternal(headers, { secret, replay, now })).resolves.toBeDefined();
  });

  it('accepts fetch Headers and refuses repeated headers', async () => {
    const signed = signInternal({ secret, timestamp, nonce: 'n-2' });
    await expect(
      verifyInternal(new Headers(signed.headers), { secret, replay: new MemoryReplayStore({ now }), now }),
    ).resolves.toBeDefined();
    const repeated = { ...headersOf(signed), 'x-nonce': ['n-2', 'n-3'] };
    await expect(
      verifyInternal(repeated, { secret, replay: new MemoryReplayStore({ now }), now }),
    ).rejects.toMatchObject({ code: 'MALFORMED' });
  });

  it('refuses stale, future and malformed timestamps', async () => {
    const replay = new MemoryReplayStore({ now });
    for (const [t, code] of [
      [String(NOW / 1000 - 301), 'TIMESTAMP_EXPIRED'],
      [String(NOW / 1000 + 301), 'TIMESTAMP_EXPIRED'],
      [String(NOW), 'TIMESTAMP_INVALID'], // 13 digits: milliseconds where seconds are due
      ['+1700000000', 'TIMESTAMP_INVALID'],
      ['01700000000', 'TIMESTAMP_INVALID'],
      ['1700000000.5', 'TIMESTAMP_INVALID'],
      ['NaN', 'TIMESTAMP_INVALID'],
      ['', 'TIMESTAMP_INVALID'],
    ] as const) {
      const headers = headersOf(signInternal({ secret, timestamp: t, nonce: `n${t}` }));
      await expect(verifyInternal(headers, { secret, replay, now })).rejects.toMatchObject({ code });
    }
    const headers = headersOf(signInternal({ secret, timestamp, nonce: 'x' }));
    const { 'x-timestamp': _, ...missing } = headers;
    await expect(verifyInternal(missing, { secret, replay, now })).rejects.toMatchObject({
      code: 'TIMESTAMP_INVALID',
    });
  });

  it('refuses missing or unusable nonces and signatures', async () => {
    const replay = new MemoryReplayStore({ now });
    const headers = headersOf(signInternal({ secret, timestamp, nonce: 'ok' }));
    for (const nonce of [undefined, '', 'a&b', 'with space', 'x'.repeat(129), 'é']) {
      await expect(
        verifyInternal({ ...headers, 'x-nonce': nonce }, { secret, replay, now }),
      ).rejects.toMatchObject({ code: 'MALFORMED' });
    }
    await expect(
      verifyInternal({ ...headers, 'x-signature': undefined }, { secret, replay, now }),
    ).rejects.toMatchObject({
      code: 'SIGNATURE_MISMATCH',
    });
  });

  it('rotates: accepts any key of the keyring, signs with the first', async () => {
    const signed = signInternal({ secret: ['new', 'old'], timestamp, nonce: 'r1' });
    expect(signed.signature).toBe(signInternal({ secret: 'new', timestamp, nonce: 'r1' }).signature);
    const old = headersOf(signInternal({ secret: 'old', timestamp, nonce: 'r2' }));
    await expect(
      verifyInternal(old, { secret: ['new', 'old'], replay: new MemoryReplayStore({ now }), now }),
    ).resolves.toMatchObject({
      keyIndex: 1,
    });
  });
});
