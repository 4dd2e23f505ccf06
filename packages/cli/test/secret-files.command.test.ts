// Secret files at start: a key or credentials file other users can read stops the command with a
// message naming the file and the chmod that fixes it; `signet --allow-loose-permissions` turns that
// into a warning. Files Signet writes itself are 0600.
import { chmodSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateFernetKey } from '@signet/auth';
import { createFixture } from '../../signer/test/support/fixture.js';
import { runSignet, type Service, startService } from '../../master/test/support/process.js';

const noEnvKey = { ENCRYPTION_KEY: undefined, DATABASE_URL: undefined, REDIS_URL: undefined };
const services: Service[] = [];
afterAll(async () => {
  await Promise.all(services.map((s) => s.stop()));
});

describe('secret files other users can read', () => {
  it('the generated encryption.key is 0600; made readable, every command refuses it, naming the chmod', () => {
    const data = mkdtempSync(join(tmpdir(), 'signet-secret-files-'));
    const first = runSignet(['node', 'list', '--data', data], noEnvKey);
    expect(first.status, first.stderr).toBe(0);
    const file = join(data, 'encryption.key');
    expect(statSync(file).mode & 0o777).toBe(0o600);

    chmodSync(file, 0o644);
    for (const args of [
      ['user', 'list', '--data', data],
      ['node', 'list', '--data', data],
    ]) {
      const refused = runSignet(args, noEnvKey);
      expect(refused.status, args.join(' ')).toBe(1);
      expect(refused.stderr).toContain(
        `the secret file ${file} can be read or changed by other users (mode 0644): run \`chmod 600 ${file}\``,
      );
      expect(refused.stdout).toBe('');
    }
    const warned = runSignet(['--allow-loose-permissions', 'node', 'list', '--data', data], noEnvKey);
    expect(warned.status, warned.stderr).toBe(0);
    expect(warned.stderr).toContain(
      `warning: the secret file ${file} can be read or changed by other users (mode 0644); run: chmod 600 ${file}`,
    );
  });

  it('signet signer refuses a readable credentials.json, and starts with --allow-loose-permissions', async () => {
    const fixture = createFixture();
    chmodSync(fixture.credentials, 0o640);
    const env = { ENCRYPTION_KEY: fixture.encryptionKey, REDIS_URL: undefined };
    const args = ['signer', '--port', '0', '--data', fixture.dataDir, '--credentials', fixture.credentials];
    const refused = runSignet(args, env);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(
      `the secret file ${fixture.credentials} can be read or changed by other users (mode 0640)`,
    );
    expect(refused.stderr).toContain(`chmod 600 ${fixture.credentials}`);
    const signer = await startService(['--allow-loose-permissions', ...args], env);
    services.push(signer);
    expect((await fetch(`${signer.url}/health`)).status).toBe(200);
    expect(signer.output()).toContain(`warning: the secret file ${fixture.credentials}`);
  });

  it('signet worker refuses a readable worker.json before it calls anyone', () => {
    const data = mkdtempSync(join(tmpdir(), 'signet-secret-files-worker-'));
    const file = join(data, 'worker.json');
    writeFileSync(file, '{}', { mode: 0o644 });
    chmodSync(file, 0o644);
    const refused = runSignet(['worker', '--master', 'http://127.0.0.1:1', '--port', '0', '--data', data], {
      ENCRYPTION_KEY: generateFernetKey(),
      REDIS_URL: undefined,
    });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(
      `the secret file ${file} can be read or changed by other users (mode 0644)`,
    );
  });
});
