// `signet secret encrypt|decrypt`, run as a process, interoperating with Python's cryptography.fernet.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const KEY = execFileSync('python3', [
  '-c',
  'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())',
])
  .toString()
  .trim();
const python = (code: string, input: string) =>
  execFileSync('python3', ['-c', code], { input, env: { ...process.env, KEY } }).toString();

describe('signet secret', () => {
  it('encrypts so that Python decrypts, dropping one trailing newline', () => {
    const result = runCli(['secret', 'encrypt'], {
      input: 'exchange-secret\n',
      env: { ENCRYPTION_KEY: KEY },
    });
    expect(result.status).toBe(0);
    const plain = python(
      'import os,sys; from cryptography.fernet import Fernet; sys.stdout.write(Fernet(os.environ["KEY"]).decrypt(sys.stdin.read().strip().encode()).decode())',
      result.stdout,
    );
    expect(plain).toBe('exchange-secret');
    const raw = runCli(['secret', 'encrypt', '--raw'], { input: 'x\n', env: { ENCRYPTION_KEY: KEY } });
    expect(
      python(
        'import os,sys; from cryptography.fernet import Fernet; print(repr(Fernet(os.environ["KEY"]).decrypt(sys.stdin.read().strip().encode())))',
        raw.stdout,
      ).trim(),
    ).toBe("b'x\\n'");
  });

  it('decrypts what Python encrypts, bytes for bytes', () => {
    const token = python(
      'import os; from cryptography.fernet import Fernet; print(Fernet(os.environ["KEY"]).encrypt("é ✓ secret".encode()).decode())',
      '',
    );
    const result = runCli(['secret', 'decrypt'], { input: token, env: { ENCRYPTION_KEY: KEY } });
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('é ✓ secret');
  });

  it('decrypts with an older key during rotation (ENCRYPTION_KEY=new,old)', () => {
    const token = runCli(['secret', 'encrypt'], { input: 'rotated', env: { ENCRYPTION_KEY: KEY } }).stdout;
    const newKey = python(
      'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())',
      '',
    ).trim();
    expect(
      runCli(['secret', 'decrypt'], { input: token, env: { ENCRYPTION_KEY: `${newKey},${KEY}` } }).stdout,
    ).toBe('rotated');
    const refused = runCli(['secret', 'decrypt'], { input: token, env: { ENCRYPTION_KEY: newKey } });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('DECRYPTION_FAILED');
    expect(refused.stderr).not.toContain(token.trim());
  });

  it('without ENCRYPTION_KEY, generates a key once in --data (mode 0600), announces it and reuses it', () => {
    const data = join(mkdtempSync(join(tmpdir(), 'signet-cli-')), 'data');
    const first = runCli(['secret', 'encrypt', '--data', data], { input: 'v' });
    expect(first.status).toBe(0);
    expect(first.stderr).toContain(join(data, 'encryption.key'));
    const key = readFileSync(join(data, 'encryption.key'), 'utf8').trim();
    expect(first.stderr).not.toContain(key);
    expect(statSync(join(data, 'encryption.key')).mode & 0o777).toBe(0o600);
    const second = runCli(['secret', 'decrypt', '--data', data], { input: first.stdout });
    expect(second.stdout).toBe('v');
  });

  it('refuses a tampered token and a bad --ttl without echoing secrets', () => {
    const token = runCli(['secret', 'encrypt'], { input: 'v', env: { ENCRYPTION_KEY: KEY } }).stdout.trim();
    const tampered = `${token.slice(0, 20)}${token[20] === 'A' ? 'B' : 'A'}${token.slice(21)}`;
    const result = runCli(['secret', 'decrypt'], { input: tampered, env: { ENCRYPTION_KEY: KEY } });
    expect(result.status).toBe(1);
    expect(result.stderr).not.toContain(KEY);
    expect(
      runCli(['secret', 'decrypt', '--ttl', 'soon'], { input: token, env: { ENCRYPTION_KEY: KEY } }).status,
    ).toBe(2);
  });
});
