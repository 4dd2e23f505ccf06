import { execFile } from 'node:child_process';

export interface CommandResult {
  /** Exit code; null when the command was killed (timeout) or could not be started. */
  readonly exitCode: number | null;
  /** stdout then stderr, as text, at most `maxOutputBytes` of each. */
  readonly output: string;
  readonly timedOut: boolean;
  /** Set when the binary could not be started at all (ENOENT, EACCES). */
  readonly spawnError?: NodeJS.ErrnoException;
}

/** Runs a short-lived command with a hard timeout (SIGKILL) and bounded output. Never throws. */
export function runCommand(
  file: string,
  args: readonly string[],
  options: { timeoutMs: number; cwd?: string; maxOutputBytes?: number },
): Promise<CommandResult> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      {
        timeout: options.timeoutMs,
        killSignal: 'SIGKILL',
        maxBuffer: options.maxOutputBytes ?? 1024 * 1024,
        encoding: 'utf8',
        windowsHide: true,
        ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
      },
      (error, stdout, stderr) => {
        const output = `${stdout}${stdout && stderr ? '\n' : ''}${stderr}`;
        if (!error) return resolve({ exitCode: 0, output, timedOut: false });
        const err = error as NodeJS.ErrnoException & { killed?: boolean; code?: unknown };
        if (typeof err.code === 'string' && err.code !== 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') {
          return resolve({ exitCode: null, output, timedOut: false, spawnError: err });
        }
        const exitCode = typeof err.code === 'number' ? err.code : null;
        resolve({ exitCode, output, timedOut: err.killed === true && exitCode === null });
      },
    );
  });
}
