// Fernet.rotate against Python's cryptography: a token Python made under the old key, rotated by us
// under the new one, is opened by Python with the new key alone and keeps its timestamp (as
// MultiFernet.rotate does); a token already under the new key, including Python's own rotation,
// is left alone.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { DecryptionFailedError } from '../src/errors.js';
import { Fernet, generateFernetKey } from '../src/fernet/index.js';

const PYTHON = String.raw`
import json, sys
from cryptography.fernet import Fernet, MultiFernet
req = json.load(sys.stdin)
new, old = Fernet(req["new"]), Fernet(req["old"])
if req["step"] == "make":
    token = old.encrypt_at_time(b"node secret \xe2\x9c\x93", 1700000000).decode()
    print(json.dumps({"token": token, "pythonRotated": MultiFernet([new, old]).rotate(token.encode()).decode()}))
else:
    t = req["token"].encode()
    print(json.dumps({"plain": new.decrypt(t).decode(), "at": new.extract_timestamp(t)}))
`;

function python(input: object): any {
  const run = spawnSync('python3', ['-c', PYTHON], { input: JSON.stringify(input), encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout);
}

describe('Fernet.rotate', () => {
  it('re-encrypts under the first key what Python encrypted under an older one, keeping its timestamp', () => {
    const keys = { new: generateFernetKey(), old: generateFernetKey() };
    const made = python({ step: 'make', ...keys });
    const fernet = new Fernet([keys.new, keys.old]);
    const rotated = fernet.rotate(made.token);
    expect(rotated).not.toBeNull();
    expect(python({ step: 'open', ...keys, token: rotated })).toEqual({
      plain: 'node secret ✓',
      at: 1700000000,
    });
    expect(fernet.rotate(rotated!)).toBeNull();
    expect(fernet.rotate(made.pythonRotated)).toBeNull();
  });

  it('refuses a token no key opens, without naming it', () => {
    const stranger = new Fernet(generateFernetKey()).encrypt('x');
    const fernet = new Fernet([generateFernetKey(), generateFernetKey()]);
    expect(() => fernet.rotate(stranger)).toThrow(DecryptionFailedError);
    try {
      fernet.rotate(stranger);
    } catch (error) {
      expect((error as Error).message).not.toContain(stranger);
    }
  });
});
