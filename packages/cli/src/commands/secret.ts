import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { reEncryptStore } from '@signet/master';
import { Fernet } from '@signet/auth';
import { readStdin } from '../lib/input.js';
import { UsageError } from '../lib/usage-error.js';
import { defaultDataDir } from '../lib/data-dir.js';
import { commandEncryptionKeys } from '../lib/encryption.js';
import { withMasterStore } from '../lib/master-store.js';
import {
  reEncryptJsonFile,
  SIGNER_CREDENTIAL_TOKENS,
  WORKER_CREDENTIAL_TOKENS,
} from '../lib/re-encrypt-files.js';

interface SecretOptions {
  data: string;
  config?: string;
  raw?: boolean;
  ttl?: string;
}

function fernet(options: SecretOptions): Fernet {
  return new Fernet(commandEncryptionKeys(options.data, options.config).keys);
}

/** Standard input as the secret: one trailing newline (from echo or a terminal) dropped unless --raw. */
async function secretInput(raw: boolean | undefined): Promise<Buffer> {
  const input = await readStdin();
  if (raw) return input;
  const end =
    input.at(-1) === 0x0a ? (input.at(-2) === 0x0d ? input.length - 2 : input.length - 1) : input.length;
  return input.subarray(0, end);
}

export function registerSecret(program: Command): void {
  const secret = program
    .command('secret')
    .description(
      'Fernet-encrypt or decrypt standard input under ENCRYPTION_KEY (interoperable with Python cryptography.fernet)',
    );
  const common = (command: Command) =>
    command
      .option(
        '--data <dir>',
        'data directory holding encryption.key when ENCRYPTION_KEY is not set',
        defaultDataDir(),
      )
      .option('--config <file>', 'JSON config file with an "encryptionKey"');

  common(secret.command('encrypt'))
    .description('read a secret on standard input, print its Fernet token')
    .option('--raw', 'encrypt standard input exactly, keeping a trailing newline')
    .action(async (options: SecretOptions) => {
      const token = fernet(options).encrypt(await secretInput(options.raw));
      process.stdout.write(`${token}\n`);
    });

  common(secret.command('decrypt'))
    .description('read a Fernet token on standard input, print the secret')
    .option('--ttl <seconds>', 'refuse tokens older than this')
    .action(async (options: SecretOptions) => {
      const token = (await readStdin()).toString('utf8').trim();
      if (options.ttl !== undefined && !/^[1-9][0-9]{0,9}$/.test(options.ttl)) {
        throw new UsageError('--ttl must be a whole number of seconds');
      }
      const ttl = options.ttl === undefined ? {} : { ttlSeconds: Number(options.ttl) };
      process.stdout.write(fernet(options).decrypt(token, ttl));
    });

  secret
    .command('rotate')
    .description(
      'Re-encrypt everything stored under the newest ENCRYPTION_KEY (set ENCRYPTION_KEY=new,old first): the master store, the signer credentials, worker credentials; safe to interrupt and run again',
    )
    .option('--data <dir>', 'data directory (master.db, credentials.json, worker.json)', defaultDataDir())
    .option('--credentials <file>', "the signer's credentials.json (default: <data>/credentials.json)")
    .action(async (options: { data: string; credentials?: string }) => {
      const keys = new Fernet(commandEncryptionKeys(options.data).keys);
      const counts =
        existsSync(join(options.data, 'master.db')) || process.env.DATABASE_URL
          ? await withMasterStore(options.data, (db) => reEncryptStore(db, keys))
          : { nodeSecrets: 0, accessKeys: 0, jwtKeys: 0, current: 0 };
      const signer = reEncryptJsonFile(
        resolve(options.credentials ?? join(options.data, 'credentials.json')),
        keys,
        SIGNER_CREDENTIAL_TOKENS,
      );
      const worker = reEncryptJsonFile(join(options.data, 'worker.json'), keys, WORKER_CREDENTIAL_TOKENS);
      const touched =
        counts.nodeSecrets + counts.accessKeys + counts.jwtKeys + signer.rotated + worker.rotated;
      process.stdout.write(
        `re-encrypted ${touched} record(s) under the newest key: ${counts.nodeSecrets} node secret(s), ${counts.accessKeys} access key(s), ${counts.jwtKeys} JWT signing key(s), ${signer.rotated} signer credential(s), ${worker.rotated} worker credential(s); ${counts.current + signer.current + worker.current} already current\n`,
      );
    });
}
