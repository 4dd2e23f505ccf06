import { UsageError } from './usage-error.js';

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
  const first = await promptHidden(`${options.label}: `);
  const second = await promptHidden(`${options.label} (again): `);
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

/** Asks on stderr (stdout may be a pipe for --json) and reads a line in raw mode, so nothing echoes. */
function promptHidden(prompt: string): Promise<string> {
  const stdin = process.stdin;
  return new Promise((resolve, reject) => {
    const typed: string[] = [];
    const finish = (error: Error | null) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(typed.join(''));
      typed.length = 0;
    };
    const onData = (data: Buffer) => {
      for (const char of data.toString('utf8')) {
        if (char === '\r' || char === '\n') return finish(null);
        if (char === '\u0003' || (char === '\u0004' && typed.length === 0))
          return finish(new UsageError('no password given; nothing was changed'));
        if (char === '\u007f' || char === '\b') typed.pop();
        else if (char >= ' ') typed.push(char);
      }
    };
    // Raw mode first, then the prompt: nothing typed after the prompt is ever echoed.
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on('data', onData);
    process.stderr.write(prompt);
  });
}
