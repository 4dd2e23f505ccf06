import { readFileSync } from 'node:fs';

/**
 * Known-answer vectors, copied unchanged from the project's shared/vectors/ (each file names its
 * sources) so a clone anywhere can run the tests; vectors.same-as-shared.test.ts keeps the copies true.
 */
export function testVectors<T>(name: 'fernet.json' | 'platforms.json'): T {
  return JSON.parse(readFileSync(new URL(name, import.meta.url), 'utf8')) as T;
}
