import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type * as Esbuild from 'esbuild';
import { afterAll, beforeAll } from 'vitest';
import type { ChildRequest } from './store-child.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const CHILD = fileURLToPath(new URL('./store-child.ts', import.meta.url));
const requireFromRoot = createRequire(join(ROOT, 'package.json'));

export type ChildResult = { ok: true; result: any } | { ok: false; code?: string; message: string };

/**
 * Racing store processes for the enclosing `describe`: before its tests the child script is bundled
 * once with esbuild (vite's own, the one vitest transforms with) — the store's and @signet/auth's
 * sources and kysely; the two CommonJS drivers stay external, imported by absolute path — so a child
 * costs a plain `node` start. The bundle is removed after the tests.
 */
export function useStoreProcesses(): {
  race(requests: readonly ChildRequest[], timeoutMs?: number): Promise<ChildResult[]>;
} {
  let dir: string | undefined;
  let script: string | undefined;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'signet-store-child-'));
    script = await bundleChild(join(dir, 'store-child.mjs'));
  });
  afterAll(() => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });
  return {
    race: (requests, timeoutMs) => {
      if (script === undefined) throw new Error('the store child is not bundled yet');
      return raceProcesses(script, requests, timeoutMs);
    },
  };
}

async function bundleChild(outfile: string): Promise<string> {
  const viteRequire = createRequire(
    createRequire(requireFromRoot.resolve('vitest/package.json')).resolve('vite/package.json'),
  );
  const esbuild = (await import(pathToFileURL(viteRequire.resolve('esbuild')).href)) as typeof Esbuild;
  await esbuild.build({
    entryPoints: [CHILD],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
    alias: { '@signet/auth': join(ROOT, 'packages/auth/src/index.ts') },
    plugins: [
      {
        name: 'commonjs-drivers',
        setup(build) {
          build.onResolve({ filter: /^(pg|better-sqlite3)$/ }, (args) => ({
            path: requireFromRoot.resolve(args.path),
            external: true,
          }));
        },
      },
    ],
  });
  return outfile;
}

/**
 * Starts one process per request, waits until every one is ready, releases them together and
 * returns what each printed, in request order.
 */
async function raceProcesses(
  script: string,
  requests: readonly ChildRequest[],
  timeoutMs = 60_000,
): Promise<ChildResult[]> {
  const children = requests.map((request) =>
    spawn(process.execPath, [script], {
      env: { ...process.env, SIGNET_STORE_CHILD: JSON.stringify(request) },
      stdio: ['pipe', 'pipe', 'pipe'],
    }),
  );
  const timer = setTimeout(() => children.forEach((c) => c.kill('SIGKILL')), timeoutMs);
  try {
    const outputs = children.map(collect);
    await Promise.all(outputs.map((o) => o.ready));
    for (const child of children) child.stdin.write('go\n');
    return await Promise.all(outputs.map((o) => o.result));
  } finally {
    clearTimeout(timer);
    for (const child of children)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

function collect(child: ChildProcessWithoutNullStreams): {
  ready: Promise<void>;
  result: Promise<ChildResult>;
} {
  let stdout = '';
  let stderr = '';
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    if (stdout.startsWith('ready\n')) markReady();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const result = new Promise<ChildResult>((resolve, reject) => {
    child.on('close', (code) => {
      const line = stdout.split('\n').find((l) => l.startsWith('{'));
      if (line === undefined)
        reject(new Error(`store child exited ${code} without a result: ${stderr.slice(-2000)}`));
      else resolve(JSON.parse(line) as ChildResult);
    });
  });
  // A child that dies before "ready" must not leave the race waiting for it.
  return { ready: Promise.race([ready, result.then(() => undefined)]), result };
}
