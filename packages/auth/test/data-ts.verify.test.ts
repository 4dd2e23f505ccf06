import { describe, expect, it } from 'vitest';
import { MemoryReplayStore, signDataTs, verifyDataTs } from '@signet/auth';

const secret = 'api-secret';
const NOW = 1_700_000_000_123;
const now = () => NOW;

describe('verifyDataTs', () => {
  it('accepts data signed with a millisecond timestamp inside MAX_REQUEST_AGE_SECONDS', async () => {
    const signed = signDataTs({ secret, data: '{"a":1}', timestamp: String(NOW - 299_000) });
    await expect(
      verifyDataTs('{"a":1}', signed.signature, signed.timestamp, { secret, now }),
    ).resolves.toMatchObject({
      timestampMs: NOW - 299_000,
    });
    await expect(
      verifyDataTs(Buffer.from('{"a":1}'), signed.signature, signed.timestamp, { secret, now }),
    ).resolves.toBeDefined();
  });

  it('refuses changed data, a changed timestamp, and a wrong key', async () => {
    const signed = signDataTs({ secret, data: 'data', timestamp: String(NOW) });
    await expect(
      verifyDataTs('datA', signed.signature, signed.timestamp, { secret, now }),
    ).rejects.toMatchObject({ code: 'SIGNATURE_MISMATCH' });
    await expect(
      verifyDataTs('data', signed.signature, String(NOW - 1), { secret, now }),
    ).rejects.toMatchObject({ code: 'SIGNATURE_MISMATCH' });
    await expect(
      verifyDataTs('data', signed.signature, signed.timestamp, { secret: 'other', now }),
    ).rejects.toMatchObject({
      code: 'SIGNATURE_MISMATCH',
    });
  });

  it('honours MAX_REQUEST_AGE_SECONDS and the strict millisecond format', async () => {
    const old = signDataTs({ secret, data: 'd', timestamp: String(NOW - 61_000) });
    await expect(
      verifyDataTs('d', old.signature, old.timestamp, { secret, now, maxAgeSeconds: 60 }),
    ).rejects.toMatchObject({
      code: 'TIMESTAMP_EXPIRED',
    });
    for (const t of ['1700000000123.0', '-1', '0x1', ' 1700000000123', undefined]) {
      await expect(verifyDataTs('d', old.signature, t, { secret, now })).rejects.toMatchObject({
        code: 'TIMESTAMP_INVALID',
      });
    }
  });

  it('can refuse an exact replay', async () => {
    const replay = new MemoryReplayStore({ now });
    const signed = signDataTs({ secret, data: 'd', timestamp: String(NOW) });
    await verifyDataTs('d', signed.signature, signed.timestamp, { secret, now, replay });
    await expect(
      verifyDataTs('d', signed.signature, signed.timestamp, { secret, now, replay }),
    ).rejects.toMatchObject({
      code: 'REQUEST_REPLAYED',
    });
  });
});
