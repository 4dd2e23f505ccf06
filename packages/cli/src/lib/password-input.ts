import { StringDecoder } from 'node:string_decoder';
import { UsageError } from './usage-error.js';

/** Ctrl-C at a password prompt: nothing was changed, and the command exits with 130 (128 + SIGINT). */
export class PromptInterruptedError extends Error {
  override readonly name = 'PromptInterruptedError';
  readonly code = 'PROMPT_INTERRUPTED';
  readonly exitCode = 130;
}

/** The environment variable that may carry an admin password (never a command-line argument). */
export const PASSWORD_ENV = 'SIGNET_ADMIN_PASSWORD';

/** Longest line read for a password; the store's own rule is at most 1024 characters. */
const MAX_LINE_BYTES = 8192;

const HOW =
  `set ${PASSWORD_ENV}, pass --password-stdin and write the password as one line on standard input, ` +
  'or run the command in a terminal to be asked for it';

/**
 * A new admin password, taken one of three ways: the environment variable SIGNET_ADMIN_PASSWORD,
 * one line of standard input with `--password-stdin`, or a terminal prompt (echo off, asked twice).
 * The password is never accepted as an argument value, so it stays out of shell history and `ps`.
 */
export async function readNewPassword(options: { passwordStdin?: boolean; label: string }): Promise<string> {
  const fromEnv = process.env[PASSWORD_ENV];
  if (fromEnv !== undefined && fromEnv !== '' && options.passwordStdin)
    throw new UsageError(`give the password one way: ${PASSWORD_ENV} or --password-stdin, not both`);
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (options.passwordStdin) return readPasswordLine();
  if (!process.stdin.isTTY) throw new UsageError(`no password given: ${HOW}`);
  const [first, second] = await promptHidden([`${options.label}: `, `${options.label} (again): `] as const);
  if (first !== second) throw new UsageError('the two passwords differ; nothing was changed');
  return first;
}

/** One line of standard input, without its line ending. */
async function readPasswordLine(): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    const bytes = chunk as Buffer;
    const newline = bytes.indexOf(0x0a);
    chunks.push(newline === -1 ? bytes : bytes.subarray(0, newline));
    size += bytes.length;
    if (newline !== -1) break;
    if (size > MAX_LINE_BYTES) throw new UsageError('--password-stdin: the line is too long');
  }
  const line = Buffer.concat(chunks);
  const text = line.toString('utf8').replace(/\r$/, '');
  line.fill(0);
  for (const chunk of chunks) chunk.fill(0);
  if (text === '') throw new UsageError('--password-stdin: standard input has no password line');
  return text;
}

/** What each key does at a hidden prompt; other control characters are ignored. */
const KEYS: Readonly<Record<string, 'enter' | 'interrupt' | 'eof' | 'erase'>> = {
  '\r': 'enter',
  '\n': 'enter',
  '\u0003': 'interrupt',
  '\u0004': 'eof',
  '\u007f': 'erase',
  '\b': 'erase',
};

const NOTHING_CHANGED = 'nothing was changed';

/**
 * Asks each prompt in turn on stderr (stdout may be a pipe for --json) and reads one line for each,
 * all in one raw-mode session, so nothing echoes. What is typed ahead or pasted after a line's Enter
 * starts the next line. The terminal is restored before the promise settles, whether every line was
 * read, Ctrl-C or Ctrl-D was pressed, or standard input ended or failed.
 */
function promptHidden<const P extends readonly string[]>(prompts: P): Promise<{ [K in keyof P]: string }> {
  const stdin = process.stdin;
  const decoder = new StringDecoder('utf8');
  const lines: string[] = [];
  const typed: string[] = [];
  let size = 0;
  let afterCR = false;
  let settled = false;
  return new Promise((resolve, reject) => {
    const finish = (error: Error | null) => {
      if (settled) return;
      settled = true;
      stdin.off('data', onData);
      stdin.off('end', onEnd);
      // Restored before anything else is shown; a failure to restore lands in onError, now a no-op.
      stdin.setRawMode(false);
      stdin.off('error', onError);
      stdin.pause();
      decoder.end();
      typed.length = 0;
      process.stderr.write('\n');
      if (error) {
        lines.length = 0;
        reject(error);
      } else resolve([...lines] as { [K in keyof P]: string });
    };
    const onData = (data: Buffer) => {
      const text = decoder.write(data);
      data.fill(0);
      for (const char of text) {
        if (settled) return;
        // A pasted CRLF is one Enter, not an Enter and then an empty line.
        const wasCR = afterCR;
        afterCR = char === '\r';
        if (char === '\n' && wasCR) continue;
        switch (KEYS[char]) {
          case 'enter':
            lines.push(typed.join(''));
            typed.length = 0;
            size = 0;
            if (lines.length === prompts.length) finish(null);
            else process.stderr.write(`\n${prompts[lines.length]}`);
            break;
          case 'interrupt':
            finish(new PromptInterruptedError(`interrupted; ${NOTHING_CHANGED}`));
            break;
          case 'eof':
            if (typed.length === 0) finish(new UsageError(`no password given; ${NOTHING_CHANGED}`));
            break;
          case 'erase':
            size -= typed.pop()?.length ?? 0;
            break;
          default:
            if (char < ' ') break;
            typed.push(char);
            size += char.length;
            if (size > MAX_LINE_BYTES) finish(new UsageError(`the password is too long; ${NOTHING_CHANGED}`));
        }
      }
    };
    const onEnd = () =>
      finish(new UsageError(`standard input ended before a password was given; ${NOTHING_CHANGED}`));
    const onError = (cause: Error) =>
      finish(new Error(`could not read the password from the terminal; ${NOTHING_CHANGED}`, { cause }));
    // Raw mode first, then the prompt: nothing typed after the prompt is ever echoed.
    stdin.setRawMode(true);
    stdin.on('error', onError);
    stdin.on('data', onData);
    stdin.on('end', onEnd);
    stdin.resume();
    process.stderr.write(prompts[0] ?? '');
  });
}
