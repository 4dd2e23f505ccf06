/**
 * Runs real CPython as a test oracle. One process per batch: inputs go in as lines on stdin, one
 * output line per input comes back on stdout, so thousands of cases cost one interpreter start.
 *
 * The interpreter is `$SIGNET_PYTHON` or `python3`. It runs with -E (ignore PYTHON* variables such
 * as PYTHONINTMAXSTRDIGITS, which would change what the oracle accepts) and -X utf8 (text stdio is
 * UTF-8 whatever the locale).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const PYTHON = process.env['SIGNET_PYTHON'] ?? 'python3';
const PYTHON_FLAGS = ['-E', '-X', 'utf8=1'];

export interface PythonBatchOptions {
  /** Extra command-line arguments for the script. */
  args?: readonly string[];
  /** Kill the interpreter after this long; default 120 s. */
  timeoutMs?: number;
}

/** `python3 script.py` fed `inputs` one per line; returns one output line per input. */
export function runPythonBatch(
  scriptPath: string,
  inputs: readonly string[],
  options: PythonBatchOptions = {},
): string[] {
  return run([scriptPath, ...(options.args ?? [])], inputs, options);
}

/** Same as runPythonBatch for a script given as source text (`python3 -c`). */
export function runPythonCode(
  code: string,
  inputs: readonly string[],
  options: PythonBatchOptions = {},
): string[] {
  return run(['-c', code, ...(options.args ?? [])], inputs, options);
}

function run(argv: readonly string[], inputs: readonly string[], options: PythonBatchOptions): string[] {
  for (const [i, line] of inputs.entries()) {
    // The protocol is line based: an embedded newline would shift every later answer.
    if (/[\r\n]/.test(line)) throw new Error(`runPython: input ${i} contains a line break; encode it first`);
  }
  const result = spawnSync(PYTHON, [...PYTHON_FLAGS, ...argv], {
    input: inputs.length === 0 ? '' : inputs.join('\n') + '\n',
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    timeout: options.timeoutMs ?? 120_000,
  });
  if (result.error) throw new Error(`runPython: cannot run ${PYTHON}: ${result.error.message}`);
  if (result.status !== 0) {
    throw new Error(`runPython: ${PYTHON} exited with ${result.status ?? result.signal}:\n${result.stderr}`);
  }
  const lines = result.stdout.split('\n');
  if (lines.at(-1) === '') lines.pop();
  if (lines.length !== inputs.length) {
    throw new Error(
      `runPython: sent ${inputs.length} inputs, got ${lines.length} output lines\n${result.stderr}`,
    );
  }
  return lines;
}

/** `sys.version` of the oracle interpreter, or undefined when it cannot be started. */
export function pythonVersion(): string | undefined {
  const r = spawnSync(PYTHON, [...PYTHON_FLAGS, '-c', 'import sys; print(sys.version.split()[0])'], {
    encoding: 'utf8',
  });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** Tests that need the oracle fail loudly without it, unless SIGNET_SKIP_PYTHON=1 says skip (never in CI). */
export const skipPythonTests = process.env['SIGNET_SKIP_PYTHON'] === '1';
if (skipPythonTests && process.env['CI'])
  throw new Error('SIGNET_SKIP_PYTHON may not be set in CI: the Python oracle tests are mandatory there');

// ---- The canonical-JSON oracle: json.dumps(json.loads(raw_bytes), sort_keys=True) ----------------

const CANONICAL_SCRIPT = fileURLToPath(new URL('./python-canonical.py', import.meta.url));

export type PythonCanonical = { ok: true; output: string } | { ok: false; error: string };

/** CPython's verdict on each raw body, from one interpreter run. */
export function pythonCanonical(bodies: readonly Uint8Array[]): PythonCanonical[] {
  const lines = runPythonBatch(
    CANONICAL_SCRIPT,
    bodies.map((b) => Buffer.from(b).toString('base64')),
  );
  return lines.map((line, i) => {
    if (line.startsWith('OK '))
      return { ok: true, output: Buffer.from(line.slice(3), 'base64').toString('utf8') };
    if (line.startsWith('ERR ')) return { ok: false, error: line.slice(4) };
    throw new Error(`python-canonical.py: unexpected answer for body ${i}: ${line.slice(0, 200)}`);
  });
}
