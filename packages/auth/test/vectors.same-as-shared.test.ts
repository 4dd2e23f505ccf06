// test-vectors/ is a copy of the project's shared/vectors/ (the source of truth beside the
// repository): where shared/ is present, and always in CI, the copies must be identical.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const shared = new URL('../../../../shared/vectors/', import.meta.url);
const copy = new URL('../../../test-vectors/', import.meta.url);
const present = existsSync(shared);
if (!present && process.env.CI) throw new Error('shared/vectors must sit beside the repository in CI');

describe.skipIf(!present)('test-vectors/ matches shared/vectors/', () => {
  it.each(['fernet.json', 'platforms.json'])('%s', (name) => {
    expect(readFileSync(new URL(name, copy), 'utf8')).toBe(readFileSync(new URL(name, shared), 'utf8'));
  });
});
