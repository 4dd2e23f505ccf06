// Seed 003's own L3.SHA256 script, run in a separate node process (the file the auth tests use).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('../../../auth/test/support/seed-tem-l3.mjs', import.meta.url));

/** The Authorization header the seed's script sets for a request to the full `url`. */
export function seedScriptAuthorization(input: {
  url: string;
  method: string;
  body?: string;
  accessKey: string;
  secretKey: string;
}): string {
  const env = {
    ...process.env,
    TEM_URL: input.url,
    TEM_METHOD: input.method,
    TEM_BODY: input.body ?? '',
    TEM_AK: input.accessKey,
    TEM_SK: input.secretKey,
  };
  const result = spawnSync(process.execPath, [SCRIPT], { env });
  if (result.status !== 0) throw new Error(`the seed script failed: ${result.stderr.toString()}`);
  const { name, value } = JSON.parse(result.stdout.toString()) as { name: string; value: string };
  if (name !== 'Authorization') throw new Error(`the seed script set ${name}, not Authorization`);
  return value;
}
