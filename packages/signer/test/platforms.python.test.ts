/**
 * The platform adapters against an independent Python implementation (support/platform_oracle.py:
 * the standard library and `cryptography`), on the seed's own examples and on generated requests:
 * random keys, random Unicode, numbers and nesting. Python computes the payload and the signature
 * from the request text itself; nothing expected here comes from our own output.
 *
 * Aster has no Python oracle (python3 here has no keccak); its payload is checked by Python and its
 * signatures by @noble's recovery and verification against fresh keys.
 *
 * Seed: SIGNET_FC_SEED, else a fixed one; always printed. SIGNET_LONG_TESTS=1 runs 10x as many.
 */
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { ed25519 } from '@noble/curves/ed25519.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { base58 } from '@scure/base';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PLATFORMS, type PreparedKey } from '../src/platforms/index.js';

const PYTHON = process.env['SIGNET_PYTHON'] ?? 'python3';
const ORACLE = fileURLToPath(new URL('./support/platform_oracle.py', import.meta.url));
const SKIP = process.env['SIGNET_SKIP_PYTHON'] === '1';
const RUNS = process.env['SIGNET_LONG_TESTS'] === '1' ? 3000 : 300;
const SEED = Number(process.env['SIGNET_FC_SEED'] ?? 0x5167_0004);
console.log(`platforms.python: fast-check seed ${SEED}, ${RUNS} requests per platform`);

type Answer = Record<string, string | boolean>;

/** One python3 run for a whole batch: a base64 JSON request per line in, an answer per line out. */
function oracle(requests: readonly object[]): Answer[] {
  const input = requests.map((r) => Buffer.from(JSON.stringify(r)).toString('base64')).join('\n') + '\n';
  const run = spawnSync(PYTHON, ['-E', '-X', 'utf8=1', ORACLE], {
    input,
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    timeout: 120_000,
  });
  if (run.status !== 0) throw new Error(`platform_oracle.py exited with ${run.status}: ${run.stderr}`);
  const lines = run.stdout.trim().split('\n');
  expect(lines).toHaveLength(requests.length);
  return lines.map((line) => JSON.parse(Buffer.from(line, 'base64').toString('utf8')) as Answer);
}

const sample = <T>(arb: fc.Arbitrary<T>) => fc.sample(arb, { numRuns: RUNS, seed: SEED });
const NOW = new Date('2025-09-28T12:00:00.000Z');

function prepare(platformId: string, secrets: Record<string, string>, keyType?: string): PreparedKey {
  return PLATFORMS[platformId]!.prepare({ platformId, accountId: `${platformId}-py`, keyType, secrets });
}

// ---- Generated JSON ------------------------------------------------------------------------------

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
/** Mostly ASCII (every punctuation mark, controls included), then all of Unicode. */
const wellFormedChar = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 1 }) },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
);
const anyChar = fc.oneof({ weight: 8, arbitrary: wellFormedChar }, { weight: 1, arbitrary: loneSurrogate });
/** Any Unicode, lone surrogates included; or well-formed only (what percent-encoding can carry). */
const text = (wellFormed: boolean, minLength = 0) =>
  fc.string({ unit: wellFormed ? wellFormedChar : anyChar, minLength, maxLength: 12 });
/** Doubles whose JavaScript String() and Python repr() agree (fixed notation in both). */
const plainDouble = fc
  .double({ min: -1e15, max: 1e15, noNaN: true })
  .filter((x) => !Number.isInteger(x) && Math.abs(x) >= 1e-4);
/** Any double JSON can carry and we can sign exactly: no integral values beyond 2^53. */
const anyDouble = fc
  .double({ noNaN: true, noDefaultInfinity: true })
  .filter((x) => Number.isSafeInteger(x) || !Number.isInteger(x));

const jsonValue = (wellFormed: boolean, doubles: fc.Arbitrary<number>) =>
  fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      text(wellFormed),
      fc.boolean(),
      fc.constant(null),
      fc.maxSafeInteger(),
      doubles,
      fc.array(tie('value'), { maxLength: 4 }),
      fc.dictionary(text(wellFormed), tie('value'), { maxKeys: 4 }),
    ),
  })).value;

/** The data as the service receives it: JSON text, parsed. */
const roundTrip = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

// ---- Pacifica --------------------------------------------------------------------------------------

describe.skipIf(SKIP)('pacifica against Python (ed25519 via cryptography)', () => {
  const fields = fc
    .dictionary(text(false), jsonValue(false, anyDouble), { maxKeys: 6 })
    .map((d) =>
      Object.fromEntries(
        Object.entries(d).filter(([k]) => !['type', 'instruction', 'data', 'timestamp'].includes(k)),
      ),
    );
  const type = text(false, 1);
  const millis = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });
  const expiry = fc.option(fc.integer({ min: 1, max: 2 ** 40 }), { nil: undefined });
  const data = fc.oneof(
    fc.record({ type, fields, nonce: millis, expiry }).map(({ type, fields, nonce, expiry }) => ({
      instruction: { type, ...fields },
      nonce,
      ...(expiry === undefined ? {} : { expiry_window: expiry }),
    })),
    fc.record({ type, data: fields, timestamp: millis, expiry }).map(({ expiry, ...native }) => ({
      ...native,
      ...(expiry === undefined ? {} : { expiry_window: expiry }),
    })),
    fc.record({ type, fields }).map(({ type, fields }) => ({ type, ...fields })),
  );
  // The seed's own examples first: section 1.1 (flat), the batch item, and section 4.1.
  const seedExamples: unknown[] = [
    { type: 'place_order', market: 'BTC-USD', side: 'bid', amount: '0.001', price: '65000' },
    { type: 'place_order', symbol: 'BTC-USD' },
    {
      instruction: { type: 'place_order', market: 'BTC-USD', side: 'bid', amount: '0.001', price: '65000' },
      nonce: 1735390800000,
    },
  ];

  it('same message, same signature, same account address', () => {
    const cases = [...seedExamples, ...sample(data)].map((d, i) => ({
      seed: randomBytes(32),
      solana64: i % 2 === 0,
      text: JSON.stringify(d),
    }));
    const answers = oracle(
      cases.map((c) => ({
        mode: 'pacifica',
        seedHex: c.seed.toString('hex'),
        data: c.text,
        nowMs: NOW.getTime(),
      })),
    );
    cases.forEach((c, i) => {
      const secret = c.solana64 ? Buffer.concat([c.seed, ed25519.getPublicKey(c.seed)]) : c.seed;
      const key = prepare('pacifica', { privateKey: base58.encode(secret) });
      const result = key.sign(JSON.parse(c.text), NOW);
      const expected = answers[i]!;
      expect({ case: i, payload: result.payload }).toEqual({ case: i, payload: expected['payload'] });
      expect(result.signature).toBe(expected['signature']);
      expect(result.publicKey).toBe(expected['publicKey']);
    });
  });
});

// ---- Aster -----------------------------------------------------------------------------------------

describe.skipIf(SKIP)('aster: payload against Python, signatures by secp256k1 recovery', () => {
  const HALF_N = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n;
  const personalDigest = (message: string) => {
    const bytes = Buffer.from(message, 'utf8');
    return keccak_256(Buffer.concat([Buffer.from(`\x19Ethereum Signed Message:\n${bytes.length}`), bytes]));
  };
  const address = (publicKey: Uint8Array) =>
    `0x${Buffer.from(keccak_256(publicKey.subarray(1)).subarray(12)).toString('hex')}`;

  it('the digest helper of this test reproduces the vector hash', () => {
    expect(Buffer.from(personalDigest('hello world')).toString('hex')).toBe(
      'd9eba16ed0ecae432b71fe008c98cc872bb4cc214d3220a36f365326cf807d68',
    );
  });

  it('signs the seed-004 message as Python sorts it, recoverable to the account address', () => {
    const messages: unknown[] = [
      {
        message: {
          action: 'place_order',
          symbol: 'BTCUSDT',
          price: '65000',
          quantity: '0.001',
          timestamp: 1735390800000,
        },
      },
      { action: 'cancel_order', orderId: '12345' }, // the seed's batch item, message bare
      ...sample(
        fc.oneof(
          fc
            .dictionary(text(false), jsonValue(false, anyDouble), { minKeys: 1, maxKeys: 6 })
            .map((m) => ({ message: m })),
          text(true, 1).map((m) => ({ message: m })),
        ),
      ),
    ].map(roundTrip);
    const objects = messages.filter((m) => typeof (m as { message?: unknown }).message !== 'string');
    const answers = oracle(
      objects.map((m) => ({ mode: 'json', json: JSON.stringify((m as { message?: unknown }).message ?? m) })),
    );
    const secrets = Array.from({ length: 4 }, () => secp256k1.utils.randomSecretKey());
    const keys = secrets.map((s) => prepare('aster', { privateKey: `0x${Buffer.from(s).toString('hex')}` }));
    const seen = new Map<string, string>();
    let object = 0;
    messages.forEach((m, i) => {
      const which = i % keys.length;
      const result = keys[which]!.sign(m, NOW);
      const message = (m as { message?: unknown }).message;
      expect(result.payload).toBe(typeof message === 'string' ? message : answers[object++]!['payload']);

      const sig = Buffer.from(result.signature.slice(2), 'hex');
      expect(result.signature).toMatch(/^0x[0-9a-f]{128}(1b|1c)$/);
      expect(BigInt(`0x${sig.subarray(32, 64).toString('hex')}`) <= HALF_N).toBe(true);
      const digest = personalDigest(result.payload);
      const recovered = Uint8Array.of(sig[64]! - 27, ...sig.subarray(0, 64));
      const publicKey = secp256k1.recoverPublicKey(recovered, digest, { prehash: false });
      expect(address(secp256k1.Point.fromBytes(publicKey).toBytes(false))).toBe(
        result.publicKey!.toLowerCase(),
      );
      const own = secp256k1.getPublicKey(secrets[which]!, false);
      expect(secp256k1.verify(sig.subarray(0, 64), digest, own, { prehash: false })).toBe(true);

      // Deterministic per (key, message); a different message never repeats a signature.
      const id = `${which}:${result.payload}`;
      expect(seen.get(id) ?? result.signature).toBe(result.signature);
      seen.set(id, result.signature);
    });
    const bySignature = new Set(seen.values());
    expect(bySignature.size).toBe(seen.size);
  });
});

// ---- Binance ---------------------------------------------------------------------------------------

describe.skipIf(SKIP)('binance against Python (urllib.parse.quote, hmac, cryptography)', () => {
  const ed25519Pem = generateKeyPairSync('ed25519')
    .privateKey.export({ format: 'pem', type: 'pkcs8' })
    .toString();
  const rsaPem = generateKeyPairSync('rsa', { modulusLength: 2048 })
    .privateKey.export({ format: 'pem', type: 'pkcs8' })
    .toString();
  const params = fc
    .uniqueArray(
      fc.tuple(
        text(true, 1).filter((k) => k !== 'signature'),
        fc.oneof(text(true), fc.maxSafeInteger(), fc.boolean(), plainDouble),
      ),
      { selector: ([k]) => k, maxLength: 8 },
    )
    .map((entries) => Object.fromEntries(entries));
  const seedParams = {
    symbol: 'BTCUSDT',
    side: 'BUY',
    type: 'LIMIT',
    quantity: '0.001',
    price: '65000',
    timestamp: 1735390800000,
  };

  it.each(['hmac', 'ed25519', 'rsa'])('%s: the RFC 3986 query string and its signature', (keyType) => {
    const apiSecret = `bn-${randomBytes(12).toString('base64')}-\u00e9\u{1f511}`;
    const key =
      keyType === 'hmac'
        ? prepare('binance', { apiKey: 'bn-api-key', apiSecret })
        : prepare(
            'binance',
            { apiKey: 'bn-api-key', privateKey: keyType === 'rsa' ? rsaPem : ed25519Pem },
            keyType,
          );
    const results = [seedParams, ...sample(params)].map((p) => {
      const data = roundTrip({ method: 'POST', endpoint: '/api/v3/order', params: p });
      return { params: JSON.stringify(data.params), result: key.sign(data, NOW) };
    });
    const answers = oracle(
      results.map(({ params, result }) => ({
        mode: 'binance',
        keyType,
        params,
        apiSecret,
        privateKey: keyType === 'rsa' ? rsaPem : ed25519Pem,
        publicKey: result.publicKey,
        ours: result.signature,
      })),
    );
    results.forEach(({ result }, i) => {
      expect(result.payload).toBe(answers[i]!['payload']);
      expect(result.signature).toBe(answers[i]!['signature']);
      expect(result.headers).toEqual({ 'X-MBX-APIKEY': 'bn-api-key' });
      if (keyType !== 'hmac') expect(answers[i]!['verified']).toBe(true);
    });
    expect(results[0]!.result.payload).toBe(
      'symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=0.001&price=65000&timestamp=1735390800000',
    );
  });
});

// ---- OKX -------------------------------------------------------------------------------------------

describe.skipIf(SKIP)('okx against Python (hmac, json.dumps as JSON.stringify writes it)', () => {
  const pathChar = fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789-_./?=&%~!$'()*+,;:@");
  const path = fc.string({ unit: pathChar, maxLength: 30 }).map((p) => `/api/v5/${p}`);
  const timestamp = fc.option(
    fc
      .date({
        min: new Date('2000-01-01T00:00:00Z'),
        max: new Date('2099-12-31T23:59:59Z'),
        noInvalidDate: true,
      })
      .map((d) => d.toISOString()),
    { nil: undefined },
  );
  const body = fc.oneof(
    fc.dictionary(text(true), jsonValue(true, plainDouble), { maxKeys: 6 }),
    fc.array(jsonValue(true, plainDouble), { maxLength: 4 }),
    text(true),
  );
  const request = fc.oneof(
    fc.record({ method: fc.constantFrom('GET', 'get'), path, timestamp }),
    fc.record({
      method: fc.constantFrom('POST', 'post'),
      path,
      timestamp,
      body: fc.option(body, { nil: undefined }),
    }),
  );
  const seedExample = {
    method: 'POST',
    path: '/api/v5/trade/order',
    body: { instId: 'BTC-USDT', side: 'buy', ordType: 'limit', sz: '0.001', px: '65000' },
    timestamp: '2025-09-28T12:00:00.000Z',
  };

  it('prehash, body, signature and headers', () => {
    const apiSecret = randomBytes(16).toString('hex').toUpperCase();
    const key = prepare('okx', { apiKey: 'okx-key', apiSecret, passphrase: 'Pass phrase!' });
    const requests = [seedExample, ...sample(request)].map((r) =>
      roundTrip(
        Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)) as Record<string, unknown>,
      ),
    );
    const results = requests.map((r) => key.sign(r, NOW));
    const answers = oracle(
      requests.map((r) => ({
        mode: 'okx',
        apiSecret,
        method: r['method'],
        path: r['path'],
        timestamp: r['timestamp'] ?? NOW.toISOString(),
        body:
          r['body'] === undefined
            ? null
            : typeof r['body'] === 'string'
              ? r['body']
              : JSON.stringify(r['body']),
        bodyIsString: typeof r['body'] === 'string',
      })),
    );
    results.forEach((result, i) => {
      const expected = answers[i]!;
      expect(result.payload).toBe(expected['payload']);
      expect(result.body).toBe(expected['body']);
      expect(result.signature).toBe(expected['signature']);
      expect(result.headers).toEqual({
        'OK-ACCESS-KEY': 'okx-key',
        'OK-ACCESS-SIGN': expected['signature'],
        'OK-ACCESS-TIMESTAMP': (requests[i]!['timestamp'] as string | undefined) ?? NOW.toISOString(),
        'OK-ACCESS-PASSPHRASE': 'Pass phrase!',
        'Content-Type': 'application/json',
      });
    });
  });
});
