// Password hashes against Python's hashlib.scrypt, the reference: Python recomputes our hashes from
// the salt and parameters the encoding states, and hashes Python made verify here.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '../src/store/index.js';

// Reads [{op, password, ...}] on stdin, answers a list: 'check' -> whether hashlib.scrypt over the
// encoding's salt and parameters gives its hash; 'make' -> a new encoding with Python's own salt.
const PYTHON = String.raw`
import base64, hashlib, json, os, re, sys

def b64(data): return base64.b64encode(data).decode().rstrip('=')
def unb64(text): return base64.b64decode(text + '=' * (-len(text) % 4))

out = []
for job in json.load(sys.stdin):
    password = job['password'].encode('utf-8')
    if job['op'] == 'check':
        m = re.fullmatch(r'scrypt\$ln=(\d+),r=(\d+),p=(\d+)\$([^$]+)\$([^$]+)', job['encoded'])
        ln, r, p = int(m[1]), int(m[2]), int(m[3])
        salt, expected = unb64(m[4]), unb64(m[5])
        got = hashlib.scrypt(password, salt=salt, n=2**ln, r=r, p=p, maxmem=2**28, dklen=len(expected))
        out.append({'params': [ln, r, p], 'saltLen': len(salt), 'hashLen': len(expected), 'equal': got == expected})
    else:
        ln, r, p = job['ln'], job['r'], job['p']
        salt = os.urandom(16)
        key = hashlib.scrypt(password, salt=salt, n=2**ln, r=r, p=p, maxmem=2**28, dklen=32)
        out.append('scrypt$ln=%d,r=%d,p=%d$%s$%s' % (ln, r, p, b64(salt), b64(key)))
print(json.dumps(out))
`;

function python<T>(jobs: unknown[]): T[] {
  return JSON.parse(
    execFileSync('python3', ['-c', PYTHON], { input: JSON.stringify(jobs) }).toString(),
  ) as T[];
}

const PASSWORDS = ['correct horse battery staple', 'pässwörd-ünïcode-🔑-long', ' spaces and $ signs ,= '];

describe('password hashing (scrypt, against Python hashlib)', () => {
  it('writes the stated encoding, and Python derives the same hash from it', async () => {
    const encodings = await Promise.all(PASSWORDS.map((p) => hashPassword(p)));
    for (const encoded of encodings)
      expect(encoded).toMatch(/^scrypt\$ln=15,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(new Set(encodings.map((e) => e.split('$')[2])).size).toBe(PASSWORDS.length); // fresh salts
    const checks = python<{ params: number[]; saltLen: number; hashLen: number; equal: boolean }>(
      PASSWORDS.map((password, i) => ({ op: 'check', password, encoded: encodings[i] })),
    );
    for (const check of checks)
      expect(check).toEqual({ params: [15, 8, 1], saltLen: 16, hashLen: 32, equal: true });
    // And the check can fail: another password under the same encoding does not match in Python.
    const [wrong] = python<{ equal: boolean }>([
      { op: 'check', password: 'not it at all', encoded: encodings[0] },
    ]);
    expect(wrong!.equal).toBe(false);
  });

  it('verifies encodings Python made, with the parameters they state', async () => {
    const jobs = [
      { op: 'make', password: PASSWORDS[0], ln: 15, r: 8, p: 1 },
      { op: 'make', password: PASSWORDS[1], ln: 14, r: 8, p: 1 },
      { op: 'make', password: PASSWORDS[2], ln: 12, r: 4, p: 2 },
    ];
    const encodings = python<string>(jobs);
    for (const [i, encoded] of encodings.entries()) {
      expect(await verifyPassword(PASSWORDS[i]!, encoded)).toBe(true);
      expect(await verifyPassword(`${PASSWORDS[i]!}x`, encoded)).toBe(false);
    }
  });

  it('answers false, never throws, for malformed or unacceptable encodings', async () => {
    const good = await hashPassword('correct horse battery staple');
    const [, params, salt, hash] = good.split('$');
    const bad = [
      '',
      'scrypt',
      good.replace('scrypt$', 'bcrypt$'),
      `scrypt$${params}$${salt}`,
      `scrypt$${params}$${salt}$${hash}$`,
      `scrypt$ln=15,r=8$${salt}$${hash}`,
      `scrypt$ln=0,r=8,p=1$${salt}$${hash}`,
      `scrypt$ln=40,r=8,p=1$${salt}$${hash}`, // would need terabytes
      `scrypt$ln=15,r=8,p=1$${salt}$${hash!.slice(0, 10)}`,
      `scrypt$ln=15,r=8,p=1$${salt}$${hash}==`,
      `scrypt$ln=15,r=8,p=1$${salt}$${hash!.slice(0, -1)}!`,
    ];
    for (const encoded of bad)
      expect(await verifyPassword('correct horse battery staple', encoded)).toBe(false);
    expect(await verifyPassword('correct horse battery staple', good)).toBe(true);
    expect(await verifyPassword(undefined as unknown as string, good)).toBe(false);
    expect(await verifyPassword('x', null as unknown as string)).toBe(false);
  });
});
