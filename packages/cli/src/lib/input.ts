import { readFileSync } from 'node:fs';

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
