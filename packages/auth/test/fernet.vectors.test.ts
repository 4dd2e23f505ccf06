import { describe, expect, it } from 'vitest';
import { Fernet, SignetAuthError } from '@signet/auth';
import { testVectors } from '../../../test-vectors/index.js';

// The Fernet specification's vectors (test-vectors/, a copy of shared/vectors).

interface Vector {
  desc?: string;
  token: string;
  now: string;
  secret: string;
  src?: string;
  iv?: number[];
  ttl_sec?: number;
}
interface VectorFile {
  source: string;
  generate: Vector[];
  verify: Vector[];
  invalid: Vector[];
}

const vectors = testVectors<VectorFile>('fernet.json');
const cases = [
  ...vectors.generate.map((v, i) => ({ kind: 'generate' as const, name: `generate #${i}`, v })),
  ...vectors.verify.map((v, i) => ({ kind: 'verify' as const, name: `verify #${i}`, v })),
  ...vectors.invalid.map((v, i) => ({ kind: 'invalid' as const, name: `invalid #${i}: ${v.desc ?? ''}`, v })),
];

describe(`Fernet: ${vectors.source}`, () => {
  it('has vectors of every kind', () => {
    expect(vectors.generate.length).toBeGreaterThan(0);
    expect(vectors.verify.length).toBeGreaterThan(0);
    expect(vectors.invalid.length).toBeGreaterThan(0);
  });

  it.each(cases)('$name', ({ kind, v }) => {
    const fernet = new Fernet(v.secret);
    const now = Date.parse(v.now);
    expect(Number.isNaN(now)).toBe(false);
    const ttl = v.ttl_sec === undefined ? {} : { ttlSeconds: v.ttl_sec };
    if (kind === 'generate') {
      expect(fernet.encrypt(v.src as string, { now, iv: Uint8Array.from(v.iv as number[]) })).toBe(v.token);
    } else if (kind === 'verify') {
      expect(fernet.decryptText(v.token, { ...ttl, now })).toBe(v.src);
    } else {
      let error: unknown;
      try {
        fernet.decrypt(v.token, { ...ttl, now });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(SignetAuthError);
      expect(['DECRYPTION_FAILED', 'TOKEN_EXPIRED']).toContain((error as SignetAuthError).code);
      expect((error as Error).message).not.toContain(v.token);
      expect((error as Error).message).not.toContain(v.secret);
    }
  });
});
