import { readFileSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { Fernet } from '@signet/auth';
import {
  validateCredentialsFile,
  type AccountEntry,
  type CredentialsFile,
  type SecretEntry,
} from '@signet/signer';
import { defaultDataDir } from '../lib/data-dir.js';
import { commandEncryptionKeys } from '../lib/encryption.js';
import { readStdin } from '../lib/input.js';
import { UsageError } from '../lib/usage-error.js';

interface AddOptions {
  platform: string;
  account: string;
  alias?: string;
  status: 'active' | 'inactive';
  environment: string;
  keyType?: string;
  secret: string[];
  credentials?: string;
  data: string;
  plaintext?: boolean;
  replace?: boolean;
}

/** `NAME=VALUE`, `NAME=@file`, `NAME=env:VAR` or `NAME=-` (standard input, once). */
async function secretValue(spec: string, stdinUsed: { value: boolean }): Promise<[string, string]> {
  const at = spec.indexOf('=');
  if (at < 1) throw new UsageError('--secret takes NAME=VALUE, NAME=@file, NAME=env:VAR or NAME=-');
  const name = spec.slice(0, at);
  const source = spec.slice(at + 1);
  if (source === '-') {
    if (stdinUsed.value) throw new UsageError('only one --secret can read standard input');
    stdinUsed.value = true;
    return [name, (await readStdin()).toString('utf8').replace(/\r?\n$/, '')];
  }
  if (source.startsWith('@')) return [name, readFileSync(source.slice(1), 'utf8').replace(/\r?\n$/, '')];
  if (source.startsWith('env:')) {
    const value = process.env[source.slice(4)];
    if (!value) throw new UsageError(`--secret ${name}: environment variable ${source.slice(4)} is empty`);
    return [name, value];
  }
  return [name, source];
}

export function registerCredentials(signer: Command): void {
  signer
    .command('credentials')
    .description('Manage credentials.json')
    .command('add')
    .description('Add an account, its secrets Fernet-encrypted under ENCRYPTION_KEY')
    .requiredOption('--platform <id>', 'pacifica, aster, binance or okx')
    .requiredOption('--account <id>', 'account id')
    .option('--alias <alias>', 'display name')
    .option('--status <status>', 'active or inactive', 'active')
    .option('--environment <env>', 'production, testnet, …', 'production')
    .option('--key-type <type>', 'binance: hmac, ed25519, rsa; aster: eip191')
    .option(
      '--secret <NAME=VALUE>',
      'a secret field (repeatable): NAME=VALUE, NAME=@file, NAME=env:VAR, NAME=- for stdin',
      (v: string, all: string[]) => [...all, v],
      [],
    )
    .option('--credentials <file>', 'credentials.json (default: <data>/credentials.json)')
    .option('--data <dir>', 'data directory holding encryption.key', defaultDataDir())
    .option('--plaintext', 'store the secrets unencrypted (not recommended)')
    .option('--replace', 'replace the account if it exists')
    .action(async (options: AddOptions) => {
      if (options.secret.length === 0) throw new UsageError('give at least one --secret');
      const path = resolve(options.credentials ?? `${options.data}/credentials.json`);
      const file = await readCredentials(path);
      // The key is needed even for --plaintext: the whole file is checked as the signer will load it.
      const fernet = new Fernet(commandEncryptionKeys(options.data).keys);
      const secrets: Record<string, SecretEntry> = {};
      const stdinUsed = { value: false };
      for (const spec of options.secret) {
        const [name, value] = await secretValue(spec, stdinUsed);
        secrets[name] = options.plaintext ? { plaintext: value } : fernet.encrypt(value);
      }
      const entry: AccountEntry = {
        platformId: options.platform,
        accountId: options.account,
        ...(options.alias === undefined ? {} : { alias: options.alias }),
        status: options.status,
        environment: options.environment,
        ...(options.keyType === undefined ? {} : { keyType: options.keyType }),
        createdAt: new Date().toISOString(),
        secrets,
      };
      const others = file.accounts.filter(
        (a) => !(a.platformId === entry.platformId && a.accountId === entry.accountId),
      );
      if (others.length !== file.accounts.length && !options.replace) {
        throw new UsageError(
          `account ${entry.platformId}/${entry.accountId} exists; pass --replace to replace it`,
        );
      }
      await writeCredentials(path, { version: 1, accounts: [...others, entry] }, fernet);
      process.stderr.write(`signet: ${entry.platformId}/${entry.accountId} written to ${path}\n`);
    });
}

async function readCredentials(path: string): Promise<CredentialsFile> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as CredentialsFile;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, accounts: [] };
    throw new UsageError(`${path} is not a readable credentials file`);
  }
}

/**
 * Atomically, mode 0600: a running signer watching the file sees the old or the new file, never
 * half. The new file is loaded exactly as the signer would load it first, so an entry the signer
 * would refuse (unknown platform, bad id, unusable key) never replaces a good file.
 */
async function writeCredentials(path: string, file: CredentialsFile, fernet: Fernet): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
  try {
    await validateCredentialsFile(temp, fernet);
  } catch (error) {
    await rm(temp, { force: true });
    throw new UsageError(`not written: ${(error as Error).message}`);
  }
  await rename(temp, path);
}
