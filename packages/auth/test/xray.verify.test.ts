import { describe, expect, it } from 'vitest';
import { MemoryReplayStore, signXray, verifyXray } from '@signet/auth';

const secret = 'node-secret';
const NOW = 1_700_000_000_000;
const now = () => NOW;
const body = (fields: Record<string, unknown>) => JSON.stringify({ timestamp: NOW / 1000, ...fields });

describe('verifyXray', () => {
  it('accepts a body in any layout and key order, verifying the raw bytes', async () => {
    const sent =
      '{ "timestamp" : 1700000000,\n "stats": {"b": 1.0, "a": 10000000000000000000001}, "node_id": 1 }';
    const { signature, stringToSign } = signXray(sent, secret);
    expect(stringToSign).toBe(
      '{"node_id": 1, "stats": {"a": 10000000000000000000001, "b": 1.0}, "timestamp": 1700000000}',
    );
    const verified = await verifyXray(Buffer.from(sent), signature, { secret, now, members: ['node_id'] });
    expect(verified.members.get('node_id')).toBe('1');
    expect(verified.timestampMs).toBe(NOW);
  });

  it('treats 1 and 1.0 as different bodies, as Python does', async () => {
    const { signature } = signXray(body({ value: 1 }), secret);
    await expect(
      verifyXray(body({ value: 1 }).replace('"value":1', '"value":1.0'), signature, { secret, now }),
    ).rejects.toMatchObject({
      code: 'SIGNATURE_MISMATCH',
    });
  });

  it('accepts upper-case hex and refuses a wrong, short, non-hex or missing signature', async () => {
    const sent = body({});
    const { signature } = signXray(sent, secret);
    await expect(verifyXray(sent, signature.toUpperCase(), { secret, now })).resolves.toBeDefined();
    for (const bad of [
      signature.replace(/.$/, (c) => (c === '0' ? '1' : '0')),
      signature.slice(2),
      'zz'.repeat(32),
      '',
      undefined,
    ]) {
      await expect(verifyXray(sent, bad, { secret, now })).rejects.toMatchObject({
        code: 'SIGNATURE_MISMATCH',
      });
    }
  });

  it('verifies against every key of a keyring and reports which matched', async () => {
    const sent = body({});
    const { signature } = signXray(sent, 'old');
    await expect(verifyXray(sent, signature, { secret: ['new', 'old'], now })).resolves.toMatchObject({
      keyIndex: 1,
    });
  });

  it('chooses the secret from body members and refuses unknown senders', async () => {
    const sent = body({ node_id: 7 });
    const { signature } = signXray(sent, 'seven');
    const secretOf = (members: ReadonlyMap<string, string>) =>
      members.get('node_id') === '7' ? 'seven' : undefined;
    await expect(
      verifyXray(sent, signature, { secret: secretOf, members: ['node_id'], now }),
    ).resolves.toBeDefined();
    const other = body({ node_id: 8 });
    await expect(
      verifyXray(other, signXray(other, 'x').signature, { secret: secretOf, members: ['node_id'], now }),
    ).rejects.toMatchObject({
      code: 'KEY_UNKNOWN',
    });
  });

  it('refuses stale and future timestamps beyond the window, both sides', async () => {
    for (const offset of [-301, 301]) {
      const sent = JSON.stringify({ timestamp: NOW / 1000 + offset });
      await expect(verifyXray(sent, signXray(sent, secret).signature, { secret, now })).rejects.toMatchObject(
        { code: 'TIMESTAMP_EXPIRED' },
      );
    }
    for (const offset of [-300, 300]) {
      const sent = JSON.stringify({ timestamp: NOW / 1000 + offset });
      await expect(
        verifyXray(sent, signXray(sent, secret).signature, { secret, now }),
      ).resolves.toBeDefined();
    }
    const sent = JSON.stringify({ timestamp: NOW / 1000 - 50 });
    await expect(
      verifyXray(sent, signXray(sent, secret).signature, { secret, now, maxAgeSeconds: 30 }),
    ).rejects.toMatchObject({
      code: 'TIMESTAMP_EXPIRED',
    });
  });

  it('compares second timestamps in whole seconds, as the seed does', async () => {
    const sent = JSON.stringify({ timestamp: NOW / 1000 - 300 });
    const late = () => NOW + 999; // still second NOW/1000: abs(int(time.time()) - ts) == 300
    await expect(
      verifyXray(sent, signXray(sent, secret).signature, { secret, now: late }),
    ).resolves.toBeDefined();
    await expect(
      verifyXray(sent, signXray(sent, secret).signature, { secret, now: () => NOW + 1000 }),
    ).rejects.toMatchObject({
      code: 'TIMESTAMP_EXPIRED',
    });
  });

  it('refuses timestamps that are not unsigned JSON integers', async () => {
    for (const raw of [
      '"1700000000"',
      '1700000000.0',
      '1.7e9',
      '-1700000000',
      'null',
      'NaN',
      '[1700000000]',
      '01700000000',
    ]) {
      const sent = `{"timestamp": ${raw}}`;
      let signature = '';
      try {
        signature = signXray(sent, secret).signature;
      } catch {
        // not even JSON (a leading zero): the verifier must say MALFORMED
      }
      await expect(verifyXray(sent, signature, { secret, now })).rejects.toMatchObject({
        code: raw === '01700000000' ? 'MALFORMED' : 'TIMESTAMP_INVALID',
      });
    }
    await expect(verifyXray('{}', signXray('{}', secret).signature, { secret, now })).rejects.toMatchObject({
      code: 'TIMESTAMP_INVALID',
    });
  });

  it('allows a body without timestamp only when told to', async () => {
    const sent = '{"node_id": 1, "api_secret": "s"}';
    await expect(
      verifyXray(sent, signXray(sent, secret).signature, { secret, now, requireTimestamp: false }),
    ).resolves.toMatchObject({
      timestampMs: undefined,
    });
  });

  it('refuses malformed bodies before looking at signatures', async () => {
    for (const sent of ['', '{', '{"a":1,}', "{'a':1}", '{"a":1} x', new Uint8Array([0x7b, 0xff, 0x7d])]) {
      await expect(verifyXray(sent, 'ab', { secret, now })).rejects.toMatchObject({ code: 'MALFORMED' });
    }
  });

  it('keeps a claim a minute past the window, for servers sharing a store whose clocks differ', async () => {
    let clock = NOW;
    const replay = new MemoryReplayStore({ now: () => clock });
    const sent = body({ action: 'restart' });
    const { signature } = signXray(sent, secret);
    await verifyXray(sent, signature, { secret, now: () => clock, replay });
    clock = NOW + 330_000; // server A would now refuse it by time; server B, 40 s slow, would not
    await expect(
      verifyXray(sent, signature, { secret, now: () => clock - 40_000, replay }),
    ).rejects.toMatchObject({ code: 'REQUEST_REPLAYED' });
  });

  it('refuses an exact replay while the timestamp is valid, but only after a valid signature', async () => {
    const replay = new MemoryReplayStore({ now });
    const sent = body({ action: 'restart' });
    const { signature } = signXray(sent, secret);
    await expect(verifyXray(sent, 'ff'.repeat(32), { secret, now, replay })).rejects.toMatchObject({
      code: 'SIGNATURE_MISMATCH',
    });
    await expect(verifyXray(sent, signature, { secret, now, replay })).resolves.toBeDefined();
    await expect(verifyXray(sent, signature.toUpperCase(), { secret, now, replay })).rejects.toMatchObject({
      code: 'REQUEST_REPLAYED',
    });
  });
});
