import { readFileSync } from 'node:fs';
import type { Fernet } from '@signet/auth';
import { writeFileAtomic } from '@signet/server';

/** Where a JSON file keeps Fernet tokens: each returns the objects and keys holding one. */
type TokenSlots = (document: unknown) => { holder: Record<string, unknown>; key: string }[];

const object = (value: unknown): Record<string, unknown> | null =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;

/** The signer's credentials.json: every string in an account's `secrets` (plaintext entries are objects). */
export const SIGNER_CREDENTIAL_TOKENS: TokenSlots = (document) => {
  const accounts = object(document)?.accounts;
  return (Array.isArray(accounts) ? accounts : []).flatMap((account: unknown) => {
    const secrets = object(object(account)?.secrets);
    if (secrets === null) return [];
    return Object.keys(secrets)
      .filter((key) => typeof secrets[key] === 'string')
      .map((key) => ({ holder: secrets, key }));
  });
};

/** A worker's worker.json: its `api_secret`, and the one a rotation replaced while it is kept. */
export const WORKER_CREDENTIAL_TOKENS: TokenSlots = (document) => {
  const stored = object(document);
  if (stored === null) return [];
  return ['api_secret', 'previous_api_secret']
    .filter((key) => typeof stored[key] === 'string')
    .map((key) => ({ holder: stored, key }));
};

/**
 * Re-encrypts a JSON file's Fernet tokens under the newest key and writes it back atomically (mode
 * 0600): the file is either wholly old or wholly new, both readable with the key list. Returns how
 * many tokens changed and how many were current already; a missing file counts nothing.
 */
export function reEncryptJsonFile(
  path: string,
  fernet: Fernet,
  slots: TokenSlots,
): { rotated: number; current: number } {
  // The file's owner may rewrite it meanwhile (a worker adopting a rotated api_secret): the tokens
  // are written back only over the very text they were read from.
  for (let attempt = 1; ; attempt++) {
    const text = readText(path);
    if (text === null) return { rotated: 0, current: 0 };
    const document: unknown = JSON.parse(text);
    let rotated = 0;
    let current = 0;
    for (const { holder, key } of slots(document)) {
      const next = fernet.rotate(holder[key] as string);
      if (next === null) current += 1;
      else {
        holder[key] = next;
        rotated += 1;
      }
    }
    if (rotated === 0) return { rotated, current };
    if (readText(path) === text) {
      writeFileAtomic(path, `${JSON.stringify(document, null, 2)}\n`);
      return { rotated, current };
    }
    if (attempt === 5) throw new Error(`${path} keeps changing; stop what writes it and run again`);
  }
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
