/**
 * Aster: secp256k1 signatures over Ethereum-style digests, `0x` r‖s‖v hex (v = 27/28, low s), the
 * account's public identity being its EIP-55 address. The account's key type picks the scheme
 * from SCHEMES; `eip191` (personal_sign) is the default, and Aster's newer EIP-712 typed data is
 * one more row there, touching nothing else.
 *
 * Aster's API takes the signature (and address) as request parameters, so there are no headers.
 */
import { createCipheriv, createDecipheriv, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { ConfigLoadFailedError, SignatureFailedError } from '../errors.js';
import { compactSortedJson, expectObject, invalid } from './compact-json.js';
import type { Platform, PreparedKey, SignResult } from './platform.js';

/** One signing scheme: the text it signs (returned as `payload`) and the 32-byte digest of it. */
interface AsterScheme {
  readonly algorithm: string;
  message(data: unknown): { payload: string; digest: Uint8Array };
}

const SCHEMES: Record<string, AsterScheme> = {
  eip191: { algorithm: 'eip191', message: (data) => personalMessage(asterMessage(data)) },
};

const NO_HEADERS: Readonly<Record<string, string>> = Object.freeze({});

export const aster: Platform = {
  id: 'aster',
  keyTypes: Object.keys(SCHEMES),
  prepare(credential) {
    const fail = (field: string, problem: string) =>
      new ConfigLoadFailedError(`aster account ${credential.accountId}: ${field} ${problem}`, {
        platformId: credential.platformId,
        accountId: credential.accountId,
        field,
      });
    const keyType = credential.keyType ?? 'eip191';
    const scheme = SCHEMES[keyType];
    if (scheme === undefined) throw fail('keyType', `must be one of ${Object.keys(SCHEMES).join(', ')}`);

    const text = credential.secrets['privateKey'];
    if (typeof text !== 'string' || !/^(0x)?[0-9a-fA-F]{64}$/.test(text)) {
      throw fail('privateKey', 'must be 32 bytes of hex (0x optional)');
    }
    const secret = Buffer.from(text.replace(/^0x/, ''), 'hex');
    let sealed: SealedKey;
    let publicKey: string;
    try {
      if (!secp256k1.utils.isValidSecretKey(secret)) throw fail('privateKey', 'is not a valid secp256k1 key');
      publicKey = ethereumAddress(secp256k1.getPublicKey(secret, false));
      sealed = seal(secret, credential.accountId);
    } finally {
      secret.fill(0);
    }

    return {
      algorithm: scheme.algorithm,
      publicKey,
      sign(data: unknown): SignResult {
        const { payload, digest } = scheme.message(data);
        const signature = withKey(sealed, (key) => rsv(digest, key));
        return {
          signature,
          algorithm: scheme.algorithm,
          encoding: 'hex',
          publicKey,
          payload,
          headers: NO_HEADERS,
        };
      },
    } satisfies PreparedKey;
  },
};

/** The seed's `{message: {...}}` as compact sorted JSON, `{message: "text"}` as is, or a bare object. */
function asterMessage(value: unknown): string {
  const data = expectObject(value, 'data');
  if (!('message' in data)) {
    if (Object.keys(data).length === 0) throw invalid('data.message', 'required');
    return compactSortedJson(data, 'data'); // the seed's batch example sends the message bare
  }
  const extra = Object.keys(data).find((k) => k !== 'message');
  if (extra !== undefined) throw invalid(`data.${extra}`, 'unexpected beside data.message');
  const message = data['message'];
  if (typeof message === 'string') {
    if (message === '') throw invalid('data.message', 'expected a non-empty string or a JSON object');
    // Lone surrogates have no UTF-8 form, so no one could verify what would be signed.
    if (/\p{Cs}/u.test(message)) throw invalid('data.message', 'is not well-formed Unicode');
    return message;
  }
  return compactSortedJson(expectObject(message, 'data.message'), 'data.message');
}

/** EIP-191 version 0x45: keccak256("\x19Ethereum Signed Message:\n" + byte length + message). */
function personalMessage(payload: string): { payload: string; digest: Uint8Array } {
  const bytes = Buffer.from(payload, 'utf8');
  const prefix = Buffer.from(`\x19Ethereum Signed Message:\n${bytes.length}`, 'utf8');
  return { payload, digest: keccak_256(Buffer.concat([prefix, bytes])) };
}

/** RFC 6979 deterministic, low-s; noble's 'recovered' layout is recovery ‖ r ‖ s, Ethereum's r ‖ s ‖ v. */
function rsv(digest: Uint8Array, key: Uint8Array): string {
  const sig = secp256k1.sign(digest, key, { prehash: false, lowS: true, format: 'recovered' });
  const v = 27 + (sig[0] as number);
  return `0x${Buffer.from(sig.subarray(1)).toString('hex')}${v.toString(16)}`;
}

/** EIP-55: the lowercase hex address, a letter upper-cased where the keccak of that text has a nibble >= 8. */
function ethereumAddress(uncompressedPublicKey: Uint8Array): string {
  const lower = Buffer.from(keccak_256(uncompressedPublicKey.subarray(1)).subarray(12)).toString('hex');
  const hash = Buffer.from(keccak_256(Buffer.from(lower, 'ascii'))).toString('hex');
  let out = '0x';
  for (let i = 0; i < lower.length; i++) {
    out += parseInt(hash[i] as string, 16) >= 8 ? (lower[i] as string).toUpperCase() : lower[i];
  }
  return out;
}

// ---- Custody: private keys stay AES-256-GCM encrypted in memory, opened only for one signature ----

interface SealedKey {
  readonly iv: Buffer;
  readonly ciphertext: Buffer;
  readonly tag: Buffer;
  /** The account id, bound as associated data so sealed keys cannot be swapped between accounts. */
  readonly aad: Buffer;
}

/** A random key for this process only, made on first use; it never leaves memory. */
let processKey: KeyObject | undefined;

function seal(secret: Buffer, accountId: string): SealedKey {
  processKey ??= createSecretKey(randomBytes(32));
  const iv = randomBytes(12);
  const aad = Buffer.from(accountId, 'utf8');
  const cipher = createCipheriv('aes-256-gcm', processKey, iv).setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(secret), cipher.final()]);
  return { iv, ciphertext, tag: cipher.getAuthTag(), aad };
}

/**
 * Decrypts into a scratch buffer, runs `use`, zeroes the buffer. (noble still turns the key into a
 * bigint that JavaScript cannot wipe; the window is one signature long.)
 */
function withKey<T>(sealed: SealedKey, use: (key: Uint8Array) => T): T {
  let scratch: Buffer | undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', processKey as KeyObject, sealed.iv);
    decipher.setAAD(sealed.aad).setAuthTag(sealed.tag);
    scratch = decipher.update(sealed.ciphertext);
    decipher.final();
  } catch (cause) {
    scratch?.fill(0);
    throw new SignatureFailedError('aster: the sealed private key could not be opened', {}, { cause });
  }
  try {
    return use(scratch);
  } finally {
    scratch.fill(0);
  }
}
