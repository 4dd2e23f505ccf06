import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { DecryptionFailedError, KeyInvalidError, SignetAuthError, TokenExpiredError } from '../src/errors.js';
import { Fernet, fernetKeyFromString, generateFernetKey } from '../src/fernet/index.js';

// Everything Python does happens in one python3 run: it encrypts our messages under its own keys,
// crafts bad tokens, derives keys from passphrases, and decrypts the tokens we made under our keys.
const PYTHON = String.raw`
import base64, hashlib, json, os, sys
from cryptography.fernet import Fernet, MultiFernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.hmac import HMAC

req = json.load(sys.stdin)
msgs = [base64.b64decode(m) for m in req["messages"]]
new, old = Fernet.generate_key(), Fernet.generate_key()
f_new, f_old, multi = Fernet(new), Fernet(old), MultiFernet([Fernet(new), Fernet(old)])

def text(m):
    try: return m.decode("utf-8")
    except UnicodeDecodeError: return None

def rejects(f, token, *args):
    try: f.decrypt_at_time(token, *args) if args else f.decrypt(token); return False
    except InvalidToken: return True

def flip(token, i):
    raw = bytearray(base64.urlsafe_b64decode(token)); raw[i] ^= 1
    return base64.urlsafe_b64encode(bytes(raw)).decode()

def seal(ct, version=0x80):
    raw = base64.urlsafe_b64decode(new); iv = os.urandom(16)
    if ct is None: ct = b"\0" * 16
    elif ct == "encrypt-zeros":
        e = Cipher(algorithms.AES(raw[16:]), modes.CBC(iv)).encryptor(); ct = e.update(b"\0" * 16) + e.finalize()
    body = bytes([version]) + req["at"].to_bytes(8, "big") + iv + ct
    h = HMAC(raw[:16], hashes.SHA256()); h.update(body)
    return base64.urlsafe_b64encode(body + h.finalize()).decode()

base = f_new.encrypt(b"tamper me").decode()
crafted = {
    "MAC bit flipped": flip(base, -1), "ciphertext bit flipped": flip(base, 30),
    "IV bit flipped": flip(base, 12), "timestamp bit flipped": flip(base, 8), "version changed": flip(base, 0),
    "one block removed": base64.urlsafe_b64encode(base64.urlsafe_b64decode(base)[:-48] + base64.urlsafe_b64decode(base)[-32:]).decode(),
    "bad padding under a good MAC": seal("encrypt-zeros"), "partial block under a good MAC": seal(b"x" * 15),
    "no ciphertext under a good MAC": seal(b""), "version 0x81 under a good MAC": seal(None, 0x81),
}
timed = f_new.encrypt_at_time(b"timed", req["at"]).decode()
future = f_new.encrypt_at_time(b"future", req["at"] + 3600).decode()

def decrypt_ours(entry):
    keys = entry.get("keys") or [base64.urlsafe_b64encode(hashlib.sha256(entry["passphrase"].encode("utf-8")).digest())]
    f = MultiFernet([Fernet(k) for k in keys]) if len(keys) > 1 else Fernet(keys[0])
    try: return base64.b64encode(f.decrypt(entry["token"])).decode()
    except InvalidToken: return None

def key_rejected(k):
    try: Fernet(k); return False
    except ValueError: return True

json.dump({
    "newKey": new.decode(), "oldKey": old.decode(),
    "tokens": [f_new.encrypt(m).decode() for m in msgs], "texts": [text(m) for m in msgs],
    "oldTokens": [f_old.encrypt(m).decode() for m in msgs[:8]],
    "multiTokens": [multi.encrypt(m).decode() for m in msgs[:8]],
    "crafted": [{"desc": d, "token": t, "pythonRejects": rejects(f_new, t)} for d, t in crafted.items()],
    "timed": timed, "timedVerdicts": [not rejects(f_new, timed, ttl, now) for ttl, now in req["ttlCases"]],
    "future": future, "futureAccepted": not rejects(f_new, future),
    "derived": [base64.urlsafe_b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode() for s in req["passphrases"]],
    "badKeysRejected": [key_rejected(k) for k in req["badKeys"]],
    "oursDecrypted": [decrypt_ours(e) for e in req["ours"]],
    "oursTimestamp": Fernet(req["ours"][0]["keys"][0]).extract_timestamp(req["timestampToken"]),
}, sys.stdout)
`;

interface PythonResult {
  newKey: string;
  oldKey: string;
  tokens: string[];
  texts: (string | null)[];
  oldTokens: string[];
  multiTokens: string[];
  crafted: { desc: string; token: string; pythonRejects: boolean }[];
  timed: string;
  timedVerdicts: boolean[];
  future: string;
  futureAccepted: boolean;
  derived: string[];
  badKeysRejected: boolean[];
  oursDecrypted: (string | null)[];
  oursTimestamp: number;
}

const messages: Buffer[] = [
  Buffer.alloc(0),
  Buffer.from('hello'),
  Buffer.from('héllo, 世界 🎉 \u0000 end', 'utf8'),
  Buffer.from('\ufeffstarts with a byte-order mark', 'utf8'),
  Buffer.from([0xff]), // never valid UTF-8
  Buffer.from([0xe4, 0xb8]), // truncated sequence
  Buffer.from([0xc0, 0xaf]), // overlong '/'
  Buffer.from([0xed, 0xa0, 0x80]), // UTF-16 surrogate
  ...[15, 16, 17, 31, 32, 33].map((n) => randomBytes(n)),
  ...Array.from({ length: 40 }, (_, i) => randomBytes((i * 37) % 500)),
  randomBytes(1 << 20),
];
const AT = 1_700_000_000; // seconds
const ttlCases: [number, number][] = [
  [60, AT + 60],
  [60, AT + 61],
  [60, AT - 60],
  [60, AT - 61],
  [0, AT],
  [0, AT + 1],
];
const passphrases = [
  'correct horse battery staple',
  'pässwörd ✓',
  'a',
  ' spaced ',
  'x'.repeat(43),
  'A'.repeat(45),
];
const badKeys = ['', 'short', 'A'.repeat(43), 'A'.repeat(44), 'A'.repeat(42) + '=='];

// Our side: tokens under our own keys (or passphrases Python derives itself), for Python to decrypt.
const keyA = generateFernetKey();
const keyB = generateFernetKey();
const ours = [
  ...messages.map((m) => ({ python: { keys: [keyA], token: new Fernet(keyA).encrypt(m) }, expect: m })),
  ...messages.slice(0, 8).flatMap((m) => {
    const rotated = new Fernet([keyB, keyA]).encrypt(m); // must be under keyB, the first key
    const underA = new Fernet(keyA).encrypt(m);
    return [
      { python: { keys: [keyB], token: rotated }, expect: m },
      { python: { keys: [keyA], token: rotated }, expect: null },
      { python: { keys: [keyB, keyA], token: underA }, expect: m },
    ];
  }),
  ...passphrases.map((p, i) => ({
    python: { passphrase: p, token: new Fernet(fernetKeyFromString(p)).encrypt(messages[i] as Buffer) },
    expect: messages[i] as Buffer,
  })),
];
const timestampToken = new Fernet(keyA).encrypt('t', { now: AT * 1000 + 999 });

let py: PythonResult;

beforeAll(() => {
  const request = {
    messages: messages.map((m) => m.toString('base64')),
    at: AT,
    ttlCases,
    passphrases,
    badKeys,
    ours: ours.map((entry) => entry.python),
    timestampToken,
  };
  const run = spawnSync('python3', ['-c', PYTHON], {
    input: JSON.stringify(request),
    encoding: 'utf8',
    maxBuffer: 256 << 20,
  });
  if (run.status !== 0) throw new Error(`python3 failed: ${run.stderr || String(run.error)}`);
  py = JSON.parse(run.stdout) as PythonResult;
});

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
}

describe('Python encrypts, Signet decrypts', () => {
  it('gives back every message byte for byte, including empty, unicode and 1 MB', () => {
    const fernet = new Fernet(py.newKey);
    expect(py.tokens).toHaveLength(messages.length);
    py.tokens.forEach((token, i) => {
      expect(Buffer.from(fernet.decrypt(token, { ttlSeconds: 60 })).equals(messages[i] as Buffer)).toBe(true);
    });
  });

  it('decodes text exactly where Python strictly decodes UTF-8', () => {
    const fernet = new Fernet(py.newKey);
    py.tokens.forEach((token, i) => {
      const text = py.texts[i];
      if (text === null)
        expect(thrown(() => fernet.decryptText(token))).toBeInstanceOf(DecryptionFailedError);
      else expect(fernet.decryptText(token)).toBe(text);
    });
    expect(py.texts.filter((t) => t === null).length).toBeGreaterThanOrEqual(4);
  });

  it('rotates like MultiFernet: the old key still decrypts, the new key alone does not', () => {
    const rotation = new Fernet([py.newKey, py.oldKey]);
    const newOnly = new Fernet(py.newKey);
    py.oldTokens.forEach((token, i) => {
      expect(Buffer.from(rotation.decrypt(token)).equals(messages[i] as Buffer)).toBe(true);
      expect(thrown(() => newOnly.decrypt(token))).toBeInstanceOf(DecryptionFailedError);
    });
    py.multiTokens.forEach((token, i) => {
      expect(Buffer.from(newOnly.decrypt(token)).equals(messages[i] as Buffer)).toBe(true);
    });
  });

  it('rejects every crafted bad token Python rejects, without echoing it', () => {
    const fernet = new Fernet(py.newKey);
    for (const { desc, token, pythonRejects } of py.crafted) {
      expect(pythonRejects, desc).toBe(true);
      const error = thrown(() => fernet.decrypt(token));
      expect(error, desc).toBeInstanceOf(DecryptionFailedError);
      expect(error.message).not.toContain(token);
      expect(error.message).not.toContain(py.newKey);
    }
  });

  it('applies TTL and clock skew exactly as decrypt_at_time, seconds rounded down', () => {
    const fernet = new Fernet(py.newKey);
    ttlCases.forEach(([ttl, now], i) => {
      const options = { ttlSeconds: ttl, now: now * 1000 + 999 };
      if (py.timedVerdicts[i]) {
        expect(Buffer.from(fernet.decrypt(py.timed, options)).toString()).toBe('timed');
      } else {
        const error = thrown(() => fernet.decrypt(py.timed, options));
        expect(error).toBeInstanceOf(now > AT ? TokenExpiredError : DecryptionFailedError);
      }
    });
    expect(py.timedVerdicts).toContain(false);
    expect(py.futureAccepted).toBe(true); // without a TTL, Python ignores the timestamp; so do we
    expect(fernet.decryptText(py.future)).toBe('future');
  });

  it('is stricter than Python about the token encoding', () => {
    const fernet = new Fernet(py.newKey);
    const hello = py.tokens[1] as string; // 73 bytes: ends in '==', 4 unused bits
    const withAlphabet = py.tokens.find((t) => /[-_]/.test(t)) as string;
    const last = hello.length - 3;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const nonCanonical = hello.slice(0, last) + alphabet[alphabet.indexOf(hello[last] as string) | 1] + '==';
    for (const token of [
      hello.replace(/=+$/, ''),
      `${hello}\n`,
      ` ${hello}`,
      withAlphabet.replace(/-/g, '+').replace(/_/g, '/'),
      nonCanonical,
    ]) {
      expect(thrown(() => fernet.decrypt(token))).toBeInstanceOf(DecryptionFailedError);
    }
    expect(Buffer.from(fernet.decrypt(hello)).toString()).toBe('hello');
  });
});

describe('Signet encrypts, Python decrypts', () => {
  it('Python gets back every message, honours rotation, and reads our timestamp', () => {
    expect(py.oursDecrypted).toHaveLength(ours.length);
    ours.forEach(({ expect: expected }, i) => {
      const got = py.oursDecrypted[i];
      if (expected === null) expect(got, `entry ${i}`).toBeNull();
      else expect(Buffer.from(got ?? 'not decrypted', 'base64').equals(expected), `entry ${i}`).toBe(true);
    });
    expect(py.oursTimestamp).toBe(AT);
  });
});

describe('keys', () => {
  it('derives from a passphrase exactly as the documented Python one-liner', () => {
    passphrases.forEach((p, i) => expect(fernetKeyFromString(p)).toBe(py.derived[i]));
    expect(fernetKeyFromString(py.newKey)).toBe(py.newKey);
    expect(thrown(() => fernetKeyFromString(''))).toBeInstanceOf(KeyInvalidError);
  });

  it('rejects the keys Python rejects, naming the argument and not the key', () => {
    badKeys.forEach((key, i) => {
      expect(py.badKeysRejected[i], key).toBe(true);
      const error = thrown(() => new Fernet(key));
      expect(error).toBeInstanceOf(KeyInvalidError);
      expect(error.message).toMatch(/^key: /);
      if (key.length > 0) expect(error.message).not.toContain(key);
    });
    const error = thrown(() => new Fernet([py.newKey, 'short']));
    expect(error).toBeInstanceOf(SignetAuthError);
    expect(error.message).toMatch(/^key\[1\]: /);
  });
});
