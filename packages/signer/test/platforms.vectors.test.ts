/**
 * The platform adapters against the known-answer vectors of platforms.json (RFC 8032,
 * EIP-191, OKX, Pacifica), each driven through PLATFORMS like the service drives it; then every
 * refusal: bad request data names its field (INVALID_DATA_FORMAT), bad key material names its field
 * and never shows the secret (CONFIG_LOAD_FAILED).
 */
import { generateKeyPairSync } from 'node:crypto';
import { base58 } from '@scure/base';
import { describe, expect, it } from 'vitest';
import { testVectors } from '../../../test-vectors/index.js';
import { ConfigLoadFailedError, InvalidDataFormatError } from '../src/errors.js';
import { PLATFORMS, type PreparedKey } from '../src/platforms/index.js';

interface Vectors {
  ed25519_rfc8032_test1: { seedHex: string; publicKeyHex: string };
  pacifica_create_order: { seedHex: string; accountBase58: string; message: string; signatureBase58: string };
  eip191_personal_sign: { privateKeyHex: string; address: string; message: string; signature: string };
  okx_v5: {
    secret: string;
    timestamp: string;
    cases: { method: string; requestPath: string; body: string; signature: string }[];
  };
}

const vectors = testVectors<Vectors>('platforms.json');

const NOW = new Date('2025-09-28T12:00:00.000Z');

function prepare(platformId: string, secrets: Record<string, string>, keyType?: string): PreparedKey {
  const platform = PLATFORMS[platformId];
  if (platform === undefined) throw new Error(`no platform ${platformId}`);
  return platform.prepare({ platformId, accountId: `${platformId}-test`, keyType, secrets });
}

const hex = (text: string) => Buffer.from(text.replace(/^0x/, ''), 'hex');

describe('platform table', () => {
  it('has one row per seed-004 platform, each naming itself', () => {
    expect(Object.keys(PLATFORMS).sort()).toEqual(['aster', 'binance', 'okx', 'pacifica']);
    for (const [id, platform] of Object.entries(PLATFORMS)) expect(platform.id).toBe(id);
    expect(PLATFORMS['constructor']).toBeUndefined();
    expect(PLATFORMS['__proto__']).toBeUndefined();
    expect(Object.isFrozen(PLATFORMS)).toBe(true);
  });
});

describe('known-answer vectors', () => {
  it('covers every platform vector in the file', () => {
    const runByAuth = ['about', 'tem_l0_sha1', 'internal_nonce_hmac']; // @signet/auth's own tests run these
    const platformVectors = Object.keys(vectors).filter((name) => !runByAuth.includes(name));
    expect(platformVectors.sort()).toEqual([
      'ed25519_rfc8032_test1',
      'eip191_personal_sign',
      'okx_v5',
      'pacifica_create_order',
    ]);
  });

  it('ed25519_rfc8032_test1: a 32-byte seed and a 64-byte Solana secret give the RFC public key', () => {
    const v = vectors.ed25519_rfc8032_test1;
    const expected = base58.encode(hex(v.publicKeyHex));
    const seedOnly = prepare('pacifica', { privateKey: base58.encode(hex(v.seedHex)) });
    const solana = prepare('pacifica', { privateKey: base58.encode(hex(v.seedHex + v.publicKeyHex)) });
    expect(seedOnly.publicKey).toBe(expected);
    expect(solana.publicKey).toBe(expected);
  });

  const order = vectors.pacifica_create_order;
  const native = JSON.parse(order.message) as { type: string; timestamp: number; data: object };
  const { type, timestamp, data: fields } = native;
  const signedAt = new Date(timestamp);
  const shapes: [string, unknown, Date][] = [
    ['the seed shape {instruction, nonce}', { instruction: { type, ...fields }, nonce: timestamp }, NOW],
    ['the native shape', native, NOW],
    ['the native shape without expiry_window', { type, timestamp, data: fields }, NOW],
    ["the seed's flat shape, stamped with the signing time", { type, ...fields }, signedAt],
  ];
  it.each(shapes)('pacifica_create_order from %s', (_, data, now) => {
    const key = prepare('pacifica', { privateKey: base58.encode(hex(order.seedHex)) });
    const result = key.sign(data, now);
    expect(result).toEqual({
      signature: order.signatureBase58,
      algorithm: 'ed25519',
      encoding: 'base58',
      publicKey: order.accountBase58,
      payload: order.message,
      headers: {},
    });
  });

  it('eip191_personal_sign: signature and EIP-55 address', () => {
    const v = vectors.eip191_personal_sign;
    const key = prepare('aster', { privateKey: v.privateKeyHex });
    expect(key.publicKey).toBe(v.address);
    const result = key.sign({ message: v.message }, NOW);
    expect(result).toMatchObject({ signature: v.signature, algorithm: 'eip191', encoding: 'hex' });
    expect(result.payload).toBe(v.message);
    // Key without 0x and keyType spelled out: the same account.
    const again = prepare('aster', { privateKey: v.privateKeyHex.slice(2) }, 'eip191');
    expect(again.sign({ message: v.message }, NOW).signature).toBe(v.signature);
  });

  const okx = vectors.okx_v5;
  const okxSecrets = { apiKey: 'okx-api-key', apiSecret: okx.secret, passphrase: 'okx pass phrase' };
  it.each(okx.cases)('okx_v5 $method $requestPath', (c) => {
    const key = prepare('okx', okxSecrets);
    const bodies: unknown[] = c.body === '' ? [undefined, ''] : [c.body, JSON.parse(c.body)];
    for (const body of bodies) {
      const data = { method: c.method, path: c.requestPath, timestamp: okx.timestamp };
      const result = key.sign(body === undefined ? data : { ...data, body }, NOW);
      expect(result.signature).toBe(c.signature);
      expect(result.payload).toBe(okx.timestamp + c.method + c.requestPath + c.body);
      expect(result.body).toBe(c.body);
      expect(result.headers).toEqual({
        'OK-ACCESS-KEY': 'okx-api-key',
        'OK-ACCESS-SIGN': c.signature,
        'OK-ACCESS-TIMESTAMP': okx.timestamp,
        'OK-ACCESS-PASSPHRASE': 'okx pass phrase',
        'Content-Type': 'application/json',
      });
    }
    // Without data.timestamp the signing time is used, and the signature follows it.
    const late = key.sign({ method: c.method, path: c.requestPath, body: c.body }, new Date(okx.timestamp));
    expect(late.signature).toBe(c.signature);
    expect(key.sign({ method: c.method, path: c.requestPath, body: c.body }, NOW).signature).not.toBe(
      c.signature,
    );
  });
});

// ---- Refusals --------------------------------------------------------------------------------

const pacificaSeedHex = vectors.pacifica_create_order.seedHex;
const ed25519Pem = generateKeyPairSync('ed25519')
  .privateKey.export({ format: 'pem', type: 'pkcs8' })
  .toString();
const SIGNERS: Record<string, () => PreparedKey> = {
  pacifica: () => prepare('pacifica', { privateKey: base58.encode(hex(pacificaSeedHex)) }),
  aster: () => prepare('aster', { privateKey: vectors.eip191_personal_sign.privateKeyHex }),
  binance: () => prepare('binance', { apiKey: 'bn-key', apiSecret: 'bn-secret' }),
  'binance-ed25519': () => prepare('binance', { apiKey: 'bn-key', privateKey: ed25519Pem }, 'ed25519'),
  okx: () => prepare('okx', { apiKey: 'k', apiSecret: 's', passphrase: 'p' }),
};

const instr = { type: 'create_order', symbol: 'BTC' };
const deep = JSON.parse('['.repeat(600) + ']'.repeat(600)) as unknown;
const binanceOk = { method: 'POST', endpoint: '/api/v3/order', params: { symbol: 'BTCUSDT' } };
const okxOk = { method: 'POST', path: '/api/v5/trade/order', body: { instId: 'BTC-USDT' } };

// [signer, data, the field the error must name]
// prettier-ignore
const BAD_DATA: [string, unknown, string][] = [
  ['pacifica', null, 'data'],
  ['pacifica', [instr], 'data'],
  ['pacifica', 'create_order', 'data'],
  ['pacifica', { instruction: 'create_order', nonce: 1 }, 'data.instruction'],
  ['pacifica', { instruction: { symbol: 'BTC' }, nonce: 1 }, 'data.instruction.type'],
  ['pacifica', { instruction: { type: '' }, nonce: 1 }, 'data.instruction.type'],
  ['pacifica', { instruction: instr }, 'data.nonce'],
  ['pacifica', { instruction: instr, nonce: '1735390800000' }, 'data.nonce'],
  ['pacifica', { instruction: instr, nonce: -1 }, 'data.nonce'],
  ['pacifica', { instruction: instr, nonce: 1.5 }, 'data.nonce'],
  ['pacifica', { instruction: instr, nonce: 1, expiry_window: 0 }, 'data.expiry_window'],
  ['pacifica', { instruction: instr, nonce: 1, expiry_window: '5000' }, 'data.expiry_window'],
  ['pacifica', { instruction: instr, nonce: 1, account: 'x' }, 'data.account'],
  ['pacifica', { instruction: { ...instr, qty: 2 ** 60 }, nonce: 1 }, 'data.instruction.qty'],
  ['pacifica', { instruction: { ...instr, legs: [{ qty: 2 ** 60 }] }, nonce: 1 }, 'data.instruction.legs[0].qty'],
  ['pacifica', { type: 'create_order', timestamp: 1, data: 'x' }, 'data.data'],
  ['pacifica', { type: 7, timestamp: 1, data: {} }, 'data.type'],
  ['pacifica', { type: 'create_order', timestamp: 'now', data: {} }, 'data.timestamp'],
  ['pacifica', { symbol: 'BTC' }, 'data.instruction'],
  ['pacifica', { type: ['create_order'] }, 'data.type'],
  ['aster', {}, 'data.message'],
  ['aster', { message: '' }, 'data.message'],
  ['aster', { message: 42 }, 'data.message'],
  ['aster', { message: 'half \udc00 pair' }, 'data.message'],
  ['aster', { message: null }, 'data.message'],
  ['aster', { message: ['a'] }, 'data.message'],
  ['aster', { message: 'x', nonce: 1 }, 'data.nonce'],
  ['aster', { message: { n: 2 ** 53 } }, 'data.message.n'],
  ['aster', 'hello', 'data'],
  ['binance', { ...binanceOk, params: undefined }, 'data.params'],
  ['binance', { ...binanceOk, params: [['symbol', 'BTCUSDT']] }, 'data.params'],
  ['binance', { ...binanceOk, params: { filters: { a: 1 } } }, 'data.params.filters'],
  ['binance', { ...binanceOk, params: { ids: [1, 2] } }, 'data.params.ids'],
  ['binance', { ...binanceOk, params: { price: null } }, 'data.params.price'],
  ['binance', { ...binanceOk, params: { signature: 'abc' } }, 'data.params.signature'],
  ['binance', { ...binanceOk, params: { '': 'x' } }, 'data.params'],
  ['binance', { ...binanceOk, params: { note: 'bad \ud800 surrogate' } }, 'data.params.note'],
  ['binance', { ...binanceOk, method: 'PATCHY' }, 'data.method'],
  ['binance', { ...binanceOk, method: undefined }, 'data.method'],
  ['binance', { ...binanceOk, endpoint: 'api/v3/order' }, 'data.endpoint'],
  ['binance', { ...binanceOk, endpoint: '/api/v3/order?symbol=BTCUSDT' }, 'data.endpoint'],
  ['binance', { ...binanceOk, query: 'a=b' }, 'data.query'],
  ['binance-ed25519', { ...binanceOk, params: { a: { b: 1 } } }, 'data.params.a'],
  ['okx', [], 'data'],
  ['okx', { ...okxOk, method: 'FETCH' }, 'data.method'],
  ['okx', { ...okxOk, method: 1 }, 'data.method'],
  ['okx', { ...okxOk, path: 'api/v5/trade/order' }, 'data.path'],
  ['okx', { ...okxOk, path: '/api/v5/trade order' }, 'data.path'],
  ['okx', { ...okxOk, path: undefined }, 'data.path'],
  ['okx', { ...okxOk, body: 5 }, 'data.body'],
  ['okx', { ...okxOk, body: true }, 'data.body'],
  ['okx', { ...okxOk, body: '{"a":"\ud800"}' }, 'data.body'],
  ['okx', { ...okxOk, method: 'GET', body: { ccy: 'BTC' } }, 'data.body'],
  ['okx', { ...okxOk, timestamp: 1607418537715 }, 'data.timestamp'],
  ['okx', { ...okxOk, timestamp: '2020-12-08T09:08:57Z' }, 'data.timestamp'],
  ['okx', { ...okxOk, timestamp: '2020-12-08 09:08:57.715Z' }, 'data.timestamp'],
  ['okx', { ...okxOk, timestamp: '2021-02-30T09:08:57.715Z' }, 'data.timestamp'],
  ['okx', { ...okxOk, headers: {} }, 'data.headers'],
];

describe('bad request data is INVALID_DATA_FORMAT and names the field', () => {
  it.each(BAD_DATA)('%s %j → %s', (signer, data, field) => {
    const key = SIGNERS[signer]!();
    let caught: unknown;
    try {
      key.sign(data, NOW);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidDataFormatError);
    const error = caught as InvalidDataFormatError;
    expect(error.code).toBe('INVALID_DATA_FORMAT');
    expect(error.message.startsWith(`${field}: `)).toBe(true);
    expect(error.details).toEqual({ field });
  });

  it('refuses nesting beyond the canonical-JSON depth limit, naming where', () => {
    const sign = () => SIGNERS['pacifica']!().sign({ instruction: { ...instr, deep }, nonce: 1 }, NOW);
    expect(sign).toThrow(InvalidDataFormatError);
    expect(sign).toThrow(/^data\.instruction\.deep(\[0\])+: nesting is too deep$/);
  });

  it('accepts what the refusals border on', () => {
    expect(() => SIGNERS['binance']!().sign({ ...binanceOk, method: 'post', params: {} }, NOW)).not.toThrow();
    expect(() =>
      SIGNERS['okx']!().sign({ method: 'get', path: '/api/v5/account/balance' }, NOW),
    ).not.toThrow();
    expect(() =>
      SIGNERS['pacifica']!().sign({ instruction: { ...instr, qty: 2 ** 53 - 1 }, nonce: 0 }, NOW),
    ).not.toThrow();
  });
});

// ---- Bad key material ------------------------------------------------------------------------

const rsa1024 = generateKeyPairSync('rsa', { modulusLength: 1024 })
  .privateKey.export({ format: 'pem', type: 'pkcs8' })
  .toString();
const rsa2048 = generateKeyPairSync('rsa', { modulusLength: 2048 })
  .privateKey.export({ format: 'pem', type: 'pkcs8' })
  .toString();
const encryptedPem = generateKeyPairSync('ed25519')
  .privateKey.export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase: 'pw-for-test' })
  .toString();
const vectorKey = vectors.eip191_personal_sign.privateKeyHex;
const mismatched = base58.encode(Buffer.concat([hex(pacificaSeedHex), Buffer.alloc(32, 7)]));
const SECRET_LOOKING = 'S3cr3tValue-0OIl-do-not-print';
const N = 'fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141';

// [platform, keyType, secrets, the field the error must name]
// prettier-ignore
const BAD_KEYS: [string, string | undefined, Record<string, string>, string][] = [
  ['pacifica', undefined, {}, 'privateKey'],
  ['pacifica', undefined, { privateKey: SECRET_LOOKING }, 'privateKey'],
  ['pacifica', undefined, { privateKey: base58.encode(Buffer.alloc(40, 9)) }, 'privateKey'],
  ['pacifica', undefined, { privateKey: mismatched }, 'privateKey'],
  ['aster', undefined, {}, 'privateKey'],
  ['aster', undefined, { privateKey: SECRET_LOOKING }, 'privateKey'],
  ['aster', undefined, { privateKey: vectorKey.slice(0, 64) }, 'privateKey'],
  ['aster', undefined, { privateKey: `0x${'00'.repeat(32)}` }, 'privateKey'],
  ['aster', undefined, { privateKey: `0x${N}` }, 'privateKey'],
  ['aster', 'eip712-not-yet', { privateKey: vectorKey }, 'keyType'],
  ['binance', 'hmac-sha512', { apiKey: 'bn-key', apiSecret: SECRET_LOOKING }, 'keyType'],
  ['binance', undefined, { apiKey: 'bn-key' }, 'apiSecret'],
  ['binance', undefined, { apiSecret: SECRET_LOOKING }, 'apiKey'],
  ['binance', undefined, { apiKey: 'bn-key\r\nX-Injected: 1', apiSecret: SECRET_LOOKING }, 'apiKey'],
  ['binance', 'ed25519', { apiKey: 'bn-key' }, 'privateKey'],
  ['binance', 'ed25519', { apiKey: 'bn-key', privateKey: SECRET_LOOKING }, 'privateKey'],
  ['binance', 'ed25519', { apiKey: 'bn-key', privateKey: rsa2048 }, 'privateKey'],
  ['binance', 'ed25519', { apiKey: 'bn-key', privateKey: encryptedPem }, 'privateKey'],
  ['binance', 'rsa', { apiKey: 'bn-key', privateKey: ed25519Pem }, 'privateKey'],
  ['binance', 'rsa', { apiKey: 'bn-key', privateKey: rsa1024 }, 'privateKey'],
  ['okx', undefined, { apiKey: 'k', apiSecret: SECRET_LOOKING }, 'passphrase'],
  ['okx', undefined, { apiKey: 'k', passphrase: 'pass-for-test' }, 'apiSecret'],
  ['okx', undefined, { apiSecret: SECRET_LOOKING, passphrase: 'pass-for-test' }, 'apiKey'],
  ['okx', undefined, { apiKey: 'k', apiSecret: SECRET_LOOKING, passphrase: 'pass\nword-for-test' }, 'passphrase'],
  ['okx', 'rsa', { apiKey: 'k', apiSecret: SECRET_LOOKING, passphrase: 'pass-for-test' }, 'keyType'],
];

/** Every 10-character window of each secret value: a message quoting part of a secret fails too. */
function windows(secrets: Record<string, string>): string[] {
  const out: string[] = [];
  for (const value of Object.values(secrets)) {
    const text = value.replace(/-----[A-Z ]+-----|\s/g, '');
    for (let i = 0; i + 10 <= text.length; i++) out.push(text.slice(i, i + 10));
  }
  return out;
}

describe('bad key material is CONFIG_LOAD_FAILED, names the field, never shows the secret', () => {
  it.each(BAD_KEYS)('%s (%s) → %s', (platformId, keyType, secrets, field) => {
    let caught: unknown;
    try {
      prepare(platformId, secrets, keyType);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigLoadFailedError);
    const error = caught as ConfigLoadFailedError;
    expect(error.code).toBe('CONFIG_LOAD_FAILED');
    expect(error.message).toContain(field);
    expect(error.details).toMatchObject({ platformId, field });
    const shown = [error.message, error.stack ?? '', JSON.stringify(error.details), String(error.cause)].join(
      '\n',
    );
    for (const window of windows(secrets)) expect(shown).not.toContain(window);
  });

  it('the window check would catch a quoted secret', () => {
    expect(windows({ k: SECRET_LOOKING }).some((w) => `bad key ${SECRET_LOOKING}`.includes(w))).toBe(true);
  });
});
