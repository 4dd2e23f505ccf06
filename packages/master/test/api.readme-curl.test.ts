// The README's curl lines for each API family (and the audit log), run as written with bash against a real `signet
// master` process, each answering what the README's `# {…}` comment under it says.
//
// The README marks each family's block `<!-- curl:NAME -->` … `<!-- /curl -->` (a ```bash fence
// inside), NAME one of FAMILIES below. Each block runs in `bash -euo pipefail` with `signet` on PATH
// and this environment, the contract the README's lines may rely on:
//   MASTER          the master's URL
//   SIGNET_DATA     its --data directory (for `signet key|service|admin … --data "$SIGNET_DATA"`)
//   API_SECRET_KEY  the /v1/internal key (SIGNET_INTERNAL_KEY unset)
//   ADMIN_PASSWORD  the password of the admin `alice`, made by `signet admin create alice`
//   AK, SK          an L3.SHA256 read-write key made by `signet key create`
// A marker missing from the README fails in CI and is skipped elsewhere, with a message.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateFernetKey } from '@signet/auth';
import { createKey, processStore, type CreatedKey, type ProcessStore } from './support/api-clients.js';
import { runSignet, SIGNET_BIN, startService, type Service } from './support/process.js';

const exec = promisify(execFile);
const FAMILIES = [
  'v1-internal',
  'v1-web',
  'v1-service',
  'v1-public',
  'openapi',
  'openapi-post',
  'audit',
] as const;
const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

/** The bash between a family's markers, and the `# …` answer the README shows for it. */
function block(name: string): { script: string; expected: string } | undefined {
  const marked = new RegExp(`<!-- curl:${name} -->([\\s\\S]*?)<!-- /curl -->`).exec(readme)?.[1];
  if (marked === undefined) return undefined;
  const script = /```(?:bash|sh)\n([\s\S]*?)```/.exec(marked)?.[1];
  if (script === undefined) throw new Error(`README: <!-- curl:${name} --> holds no \`\`\`bash block`);
  const comments = [...script.matchAll(/^# (\{.*)$/gm)].map((m) => m[1]!);
  if (comments.length === 0) throw new Error(`README: the ${name} block shows no "# {…}" answer`);
  return { script, expected: comments.at(-1)! };
}

/** The last JSON object the script printed (curl prints the answer without a final newline). */
function lastJson(stdout: string): string {
  const text = stdout.trimEnd();
  for (let at = text.lastIndexOf('{'); at >= 0; at = text.lastIndexOf('{', at - 1)) {
    if (at > 0 && text[at - 1] !== '\n') continue;
    try {
      JSON.parse(text.slice(at));
      return text.slice(at);
    } catch {
      // not the start of the last object; look further back
    }
  }
  throw new Error(`no JSON answer in the output:\n${stdout}`);
}

const missing = FAMILIES.filter((name) => block(name) === undefined);
if (missing.length > 0 && !process.env.CI)
  console.warn(
    `README.md has no <!-- curl:NAME --> … <!-- /curl --> block for ${missing.join(', ')}: those checks are skipped (they fail in CI)`,
  );

describe("the README's curl line for each API family, against `signet master`", () => {
  let store: ProcessStore;
  let master: Service;
  let key: CreatedKey;
  let bin: string;
  let cwd: string;
  const apiSecretKey = randomBytes(24).toString('hex');
  const adminPassword = `readme-${randomBytes(9).toString('hex')}`;

  beforeAll(async () => {
    store = await processStore('SQLite', {
      ENCRYPTION_KEY: generateFernetKey(),
      API_SECRET_KEY: apiSecretKey,
      SIGNET_INTERNAL_KEY: undefined,
      REDIS_URL: undefined,
    });
    master = await startService(['master', '--port', '0', '--data', store.data], store.env);
    const admin = runSignet(['admin', 'create', 'alice', '--data', store.data], {
      ...store.env,
      SIGNET_ADMIN_PASSWORD: adminPassword,
    });
    expect(admin.status, `signet admin create: ${admin.stderr}`).toBe(0);
    key = createKey(store, 'L3.SHA256', 'read-write');
    bin = mkdtempSync(join(tmpdir(), 'signet-bin-'));
    writeFileSync(join(bin, 'signet'), `#!/bin/sh\nexec "${process.execPath}" "${SIGNET_BIN}" "$@"\n`);
    chmodSync(join(bin, 'signet'), 0o755);
    cwd = mkdtempSync(join(tmpdir(), 'signet-readme-'));
  });
  afterAll(async () => {
    await master?.stop();
    await store?.dispose();
    if (bin) rmSync(bin, { recursive: true, force: true });
    if (cwd) rmSync(cwd, { recursive: true, force: true });
  });

  it.each(FAMILIES)('%s', async (name) => {
    const found = block(name);
    if (found === undefined) {
      if (process.env.CI) throw new Error(`README.md has no <!-- curl:${name} --> … <!-- /curl --> block`);
      return;
    }
    const env: NodeJS.ProcessEnv = {
      ...Object.fromEntries(Object.entries(store.env).filter(([, v]) => v !== undefined)),
      PATH: `${bin}:${process.env.PATH}`,
      HOME: process.env.HOME,
      MASTER: master.url,
      SIGNET_DATA: store.data,
      API_SECRET_KEY: apiSecretKey,
      ADMIN_PASSWORD: adminPassword,
      AK: key.accessKey,
      SK: key.secretKey,
    };
    const { stdout } = await exec('bash', ['-euo', 'pipefail', '-c', found.script], { env, cwd });
    const answer = lastJson(stdout);
    // the README's answer, up to its first "…", is what the master printed
    const [shown] = found.expected.split('…');
    if (found.expected.includes('…'))
      expect(answer.startsWith(shown!), `${answer}\nvs README ${found.expected}`).toBe(true);
    else expect(answer).toBe(found.expected);
    const parsed = JSON.parse(answer);
    if (name.startsWith('openapi')) expect(parsed).toMatchObject({ Success: true });
    else expect(parsed).toMatchObject({ code: 20000, message: '' });
  });
});
