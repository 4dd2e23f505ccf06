import { readFileSync } from 'node:fs';

/** Reads a vector file from the shared/ folder that sits beside the repository. */
export function sharedVectors<T>(name: string): T {
  return JSON.parse(
    readFileSync(new URL(`../../../../../shared/vectors/${name}`, import.meta.url), 'utf8'),
  ) as T;
}
