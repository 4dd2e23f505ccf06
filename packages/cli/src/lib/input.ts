import { readFileSync } from 'node:fs';
import { UsageError } from './usage-error.js';

/** Reads all of standard input. */
export async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A `--body` argument: the text itself, `@file` for a file's bytes, or `@-` for standard input. */
export async function readBodyArgument(value: string): Promise<Buffer> {
  if (value === '@-') return readStdin();
  if (value.startsWith('@')) return readFileSync(value.slice(1));
  return Buffer.from(value, 'utf8');
}

/**
 * A secret argument: the value itself, `@file` (one trailing newline dropped), `@-` for standard
 * input, or `env:NAME`. The indirect forms keep secrets out of shell history and `ps`.
 */
export async function readSecretArgument(value: string): Promise<string> {
  if (value.startsWith('env:')) {
    const secret = process.env[value.slice(4)];
    if (!secret) throw new UsageError(`environment variable ${value.slice(4)} is empty`);
    return secret;
  }
  if (value.startsWith('@')) return (await readBodyArgument(value)).toString('utf8').replace(/\r?\n$/, '');
  return value;
}
