import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Fernet } from '@signet/auth';
import { validateCredentialsFile, type AccountEntry, type CredentialsFile } from '@signet/signer';

/** Bitcoin's base58 alphabet, which Solana (and so Pacifica) keys are written in. */
const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

function base58(bytes: Uint8Array): string {
  let n = BigInt(`0x${Buffer.from(bytes).toString('hex') || '0'}`);
  let text = '';
  for (; n > 0n; n /= 58n) text = BASE58[Number(n % 58n)] + text;
  for (let i = 0; i < bytes.length && bytes[i] === 0; i++) text = `1${text}`;
  return text;
}

/** A fresh Ed25519 key as a Solana-style secret: base58 of seed ‖ public key (64 bytes). */
function solanaSecret(): string {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const seed = privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(-32);
  const pub = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  const both = Buffer.concat([seed, pub]);
  try {
    return base58(both);
  } finally {
    both.fill(0);
    seed.fill(0);
  }
}

/** One row per demo account; its secrets are generated here, never printed. */
const DEMO_ACCOUNTS = [
  { platformId: 'pacifica', accountId: 'pacifica-demo', secrets: () => ({ privateKey: solanaSecret() }) },
  {
    platformId: 'binance',
    accountId: 'binance-demo',
    keyType: 'hmac',
    secrets: () => ({ apiKey: randomBytes(32).toString('hex'), apiSecret: randomBytes(32).toString('hex') }),
  },
] as const;

export const DEMO_ACCOUNT_NAMES = DEMO_ACCOUNTS.map((a) => `${a.platformId}/${a.accountId}`);

/**
 * The signer's demo accounts in its credentials.json, each added once, secrets Fernet-encrypted
 * under ENCRYPTION_KEY: what `signet signer credentials add` writes. The new file is loaded by the
 * signer's own loader before it replaces the old one, and written with mode 0600.
 */
export async function ensureDemoCredentials(signerDir: string, encryptionKey: string): Promise<string[]> {
  const path = join(signerDir, 'credentials.json');
  const file: CredentialsFile = existsSync(path)
    ? (JSON.parse(readFileSync(path, 'utf8')) as CredentialsFile)
    : { version: 1, accounts: [] };
  const missing = DEMO_ACCOUNTS.filter(
    (demo) => !file.accounts.some((a) => a.platformId === demo.platformId && a.accountId === demo.accountId),
  );
  if (missing.length === 0) return [];
  const fernet = new Fernet(encryptionKey.split(','));
  const added: AccountEntry[] = missing.map(({ secrets, ...demo }) => ({
    ...demo,
    alias: `Demo ${demo.platformId} account (generated key)`,
    status: 'active',
    environment: 'demo',
    createdAt: new Date().toISOString(),
    secrets: Object.fromEntries(
      Object.entries(secrets()).map(([name, value]) => [name, fernet.encrypt(value)]),
    ),
  }));
  mkdirSync(signerDir, { recursive: true, mode: 0o700 });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(
    temp,
    `${JSON.stringify({ version: 1, accounts: [...file.accounts, ...added] }, null, 2)}\n`,
    {
      mode: 0o600,
    },
  );
  try {
    await validateCredentialsFile(temp, fernet);
    renameSync(temp, path);
  } finally {
    rmSync(temp, { force: true });
  }
  return added.map((a) => `${a.platformId}/${a.accountId}`);
}
