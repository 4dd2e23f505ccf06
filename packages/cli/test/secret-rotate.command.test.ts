// `signet secret rotate` with ENCRYPTION_KEY=new,old: every token the data dir holds (the master
// store's node secrets and access keys, the signer's credentials.json, a worker's worker.json) is
// re-encrypted under the new key with its plaintext unchanged, as Python's cryptography reads them;
// a second run touches nothing.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Fernet, generateFernetKey } from '@signet/auth';
import { runSignet } from '../../master/test/support/process.js';

// Python opens every token of the data dir with one key and prints the plaintexts by place.
const PYTHON = String.raw`
import json, sqlite3, sys
from cryptography.fernet import Fernet
data, key = sys.argv[1], Fernet(sys.argv[2].encode())
out = {}
db = sqlite3.connect(f"{data}/master.db")
for table, col, ident in [("nodes", "api_secret", "id"), ("access_keys", "secret", "access_key")]:
    for ident_value, token in db.execute(f"select {ident}, {col} from {table}"):
        out[f"{table}/{ident_value}"] = key.decrypt(token.encode()).decode()
for account in json.load(open(f"{data}/credentials.json"))["accounts"]:
    for name, token in account["secrets"].items():
        out[f"signer/{account['accountId']}/{name}"] = key.decrypt(token.encode()).decode()
worker = json.load(open(f"{data}/worker.json"))
out["worker"] = key.decrypt(worker["api_secret"].encode()).decode()
out["worker/previous"] = key.decrypt(worker["previous_api_secret"].encode()).decode()
print(json.dumps(out, sort_keys=True))
`;

function pythonOpens(data: string, key: string): Record<string, string> {
  const run = spawnSync('python3', ['-c', PYTHON, data, key], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout);
}

describe('signet secret rotate', () => {
  it('re-encrypts the store, the signer and worker credentials under the newest key; then has nothing to do', () => {
    const data = mkdtempSync(join(tmpdir(), 'signet-rotate-'));
    const oldKey = generateFernetKey();
    const newKey = generateFernetKey();
    const env = { ENCRYPTION_KEY: oldKey, DATABASE_URL: undefined, REDIS_URL: undefined };
    expect(runSignet(['node', 'add', 'edge-1', '--data', data], env).status).toBe(0);
    expect(runSignet(['node', 'add', 'edge-2', '--data', data], env).status).toBe(0);
    expect(runSignet(['key', 'create', '--json', '--data', data], env).status).toBe(0);
    const old = new Fernet(oldKey);
    const credentials = join(data, 'credentials.json');
    writeFileSync(
      credentials,
      JSON.stringify({
        version: 1,
        accounts: [
          {
            platformId: 'binance',
            accountId: 'bn-1',
            status: 'active',
            secrets: { apiKey: old.encrypt('bn-key'), apiSecret: old.encrypt('bn-secret') },
          },
        ],
      }),
      { mode: 0o600 },
    );
    writeFileSync(
      join(data, 'worker.json'),
      // In a secret rotation's grace period: the replaced secret is kept too.
      JSON.stringify({
        version: 1,
        api_secret: old.encrypt('node-secret'),
        previous_api_secret: old.encrypt('old-node-secret'),
        previous_until: Date.now() + 60_000,
      }),
      {
        mode: 0o600,
      },
    );
    const before = pythonOpens(data, oldKey);
    expect(Object.keys(before)).toHaveLength(7);

    const rotated = runSignet(['secret', 'rotate', '--data', data], {
      ...env,
      ENCRYPTION_KEY: `${newKey},${oldKey}`,
    });
    expect(rotated.status, rotated.stderr).toBe(0);
    expect(rotated.stdout).toBe(
      're-encrypted 7 record(s) under the newest key: 2 node secret(s), 1 access key(s), 0 JWT signing key(s), 2 signer credential(s), 2 worker credential(s); 0 already current\n',
    );
    expect(pythonOpens(data, newKey)).toEqual(before);
    expect(statSync(credentials).mode & 0o777).toBe(0o600);
    for (const secret of [oldKey, newKey, 'bn-secret', 'node-secret']) {
      expect(rotated.stdout + rotated.stderr).not.toContain(secret);
    }

    const again = runSignet(['secret', 'rotate', '--data', data], {
      ...env,
      ENCRYPTION_KEY: `${newKey},${oldKey}`,
    });
    expect(again.stdout).toContain('re-encrypted 0 record(s)');
    expect(again.stdout).toContain('; 7 already current');
  });
});
