// The sealed next secret of a node-secret rotation, checked against Python's cryptography (HKDF +
// Fernet), so a worker in another language can open what the master seals and the other way round.
import { describe, expect, it } from 'vitest';
import { DecryptionFailedError } from '../src/errors.js';
import { openNodeSecret, sealNodeSecret } from '../src/xray/index.js';
import { runPythonCode } from './support/python.js';

const PYTHON = String.raw`
import base64, json, sys
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

def key(current):
    raw = HKDF(hashes.SHA256(), 32, salt=None, info=b"signet node secret rotation v1").derive(current.encode())
    return Fernet(base64.urlsafe_b64encode(raw))

for line in sys.stdin:
    req = json.loads(line)
    if req["op"] == "seal":
        print(json.dumps(key(req["current"]).encrypt(req["next"].encode()).decode()))
    else:
        try: print(json.dumps(key(req["current"]).decrypt(req["sealed"].encode()).decode()))
        except InvalidToken: print(json.dumps(None))
`;

const CURRENT = 'kq3Y6xW2-current-secret-base64url-0123456789';
const NEXT = 'Zr8bT1n0-next-secret-base64url-9876543210ab';

describe('sealNodeSecret / openNodeSecret', () => {
  it('opens what Python seals, and Python opens what we seal; a wrong current secret opens neither', () => {
    const ours = sealNodeSecret(NEXT, CURRENT);
    const [pythonSealed, pythonOpened, pythonWrong] = runPythonCode(PYTHON, [
      JSON.stringify({ op: 'seal', current: CURRENT, next: NEXT }),
      JSON.stringify({ op: 'open', current: CURRENT, sealed: ours }),
      JSON.stringify({ op: 'open', current: 'another-secret-entirely', sealed: ours }),
    ]).map((line) => JSON.parse(line) as string | null);
    expect(pythonOpened).toBe(NEXT);
    expect(pythonWrong).toBeNull();
    expect(openNodeSecret(pythonSealed!, CURRENT)).toBe(NEXT);
    expect(() => openNodeSecret(pythonSealed!, 'another-secret-entirely')).toThrow(DecryptionFailedError);
  });

  it('tries every secret held (the previous one, during a grace period) and never shows the secret', () => {
    const sealed = sealNodeSecret(NEXT, CURRENT);
    expect(sealed).not.toContain(NEXT);
    expect(Buffer.from(sealed, 'base64url').toString('latin1')).not.toContain(NEXT);
    expect(openNodeSecret(sealed, ['newer-secret-held-first', CURRENT])).toBe(NEXT);
    // Sealed under the first of a keyring: the secret the worker signs with.
    expect(openNodeSecret(sealNodeSecret(NEXT, [CURRENT, 'older']), CURRENT)).toBe(NEXT);
    const tampered = sealed.slice(0, -4) + (sealed.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expect(() => openNodeSecret(tampered, CURRENT)).toThrow(DecryptionFailedError);
  });
});
