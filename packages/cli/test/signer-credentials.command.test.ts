// `signet signer credentials add` writes credentials.json the signer loads: secrets Fernet-encrypted
// under ENCRYPTION_KEY (Python decrypts them), mode 0600, never echoed.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateFernetKey } from '@signet/auth';
import { runCli } from './run-cli.js';

describe('signet signer credentials add', () => {
  const dir = mkdtempSync(join(tmpdir(), 'signet-creds-'));
  const credentials = join(dir, 'credentials.json');
  const key = generateFernetKey();
  const env = { ENCRYPTION_KEY: key, OKX_KEY: 'okx-api-key' };
  const add = (args: string[], input = '') =>
    runCli(['signer', 'credentials', 'add', '--credentials', credentials, '--data', dir, ...args], {
      env,
      input,
    });

  it('adds an account with secrets from stdin, the environment and arguments', () => {
    const result = add(
      [
        '--platform',
        'okx',
        '--account',
        'okx-1',
        '--secret',
        'apiKey=env:OKX_KEY',
        '--secret',
        'apiSecret=-',
        '--secret',
        'passphrase=pp',
      ],
      'the-okx-secret\n',
    );
    expect(result.status).toBe(0);
    expect(result.stderr + result.stdout).not.toContain('the-okx-secret');
    expect(statSync(credentials).mode & 0o777).toBe(0o600);
    const file = JSON.parse(readFileSync(credentials, 'utf8'));
    expect(file.accounts[0]).toMatchObject({
      platformId: 'okx',
      accountId: 'okx-1',
      status: 'active',
      environment: 'production',
    });
    expect(JSON.stringify(file)).not.toContain('the-okx-secret');
    const decrypted = execFileSync('python3', [
      '-c',
      'import sys; from cryptography.fernet import Fernet; print(Fernet(sys.argv[1]).decrypt(sys.argv[2].encode()).decode())',
      key,
      file.accounts[0].secrets.apiSecret,
    ]).toString();
    expect(decrypted.trim()).toBe('the-okx-secret');
  });

  it('refuses to overwrite an account unless --replace, and keeps the others', () => {
    add(['--platform', 'binance', '--account', 'bn-1', '--secret', 'apiKey=k', '--secret', 'apiSecret=s']);
    const again = add(['--platform', 'okx', '--account', 'okx-1', '--secret', 'apiKey=k']);
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('pass --replace');
    expect(
      add([
        '--platform',
        'okx',
        '--account',
        'okx-1',
        '--replace',
        '--status',
        'inactive',
        '--secret',
        'apiKey=k',
        '--secret',
        'apiSecret=s',
        '--secret',
        'passphrase=p',
      ]).status,
    ).toBe(0);
    const file = JSON.parse(readFileSync(credentials, 'utf8'));
    expect(
      file.accounts.map((a: { accountId: string; status: string }) => `${a.accountId}:${a.status}`).sort(),
    ).toEqual(['bn-1:active', 'okx-1:inactive']);
  });

  it('explains a malformed --secret', () => {
    const result = add(['--platform', 'okx', '--account', 'x', '--secret', 'novalue']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--secret takes NAME=VALUE');
  });
});
