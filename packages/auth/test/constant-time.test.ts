import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
// Internal helpers are tested through their module path; they are not part of the public API.
import { digestEqualsHex, stringsEqual } from '../src/lib/compare.js';

describe('constant-time comparisons never throw', () => {
  const digest = Buffer.from('00ff10ab', 'hex');
  it('digestEqualsHex answers only for the exact digest', () => {
    expect(digestEqualsHex(digest, '00ff10ab')).toBe(true);
    expect(digestEqualsHex(digest, '00FF10AB')).toBe(true);
    for (const other of [
      '00ff10ac',
      '00ff10a',
      '00ff10abab',
      'g0ff10ab',
      '',
      null,
      undefined,
      42,
      {},
      ['00ff10ab'],
    ]) {
      expect(digestEqualsHex(digest, other)).toBe(false);
    }
    fc.assert(
      fc.property(
        fc.anything(),
        (value) =>
          digestEqualsHex(digest, value) ===
          (typeof value === 'string' && value.toLowerCase() === '00ff10ab'),
      ),
    );
  });

  it('stringsEqual compares UTF-8 bytes of any length', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.anything(), (a, b) => stringsEqual(a, b) === (a === b)),
    );
    expect(stringsEqual('é', 'é')).toBe(true);
    expect(stringsEqual('secret', 'secre')).toBe(false);
  });
});
