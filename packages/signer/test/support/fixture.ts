import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { base58 } from '@scure/base';
import { Fernet, generateFernetKey } from '@signet/auth';
import { sharedVectors } from '../../../auth/test/support/shared-vectors.js';

export interface Vectors {
  ed25519_rfc8032_test1: { seedHex: string; publicKeyHex: string };
  pacifica_create_order: { seedHex: string; accountBase58: string; message: string; signatureBase58: string };
  eip191_personal_sign: { privateKeyHex: string; address: string; message: string; signature: string };
  okx_v5: {
    secret: string;
    timestamp: string;
    cases: { method: string; requestPath: string; body: string; signature: string }[];
  };
}
export const vectors = sharedVectors<Vectors>('platforms.json');

/** Every secret the fixture holds, so tests can search outputs for any of them. */
export const SECRETS = {
  pacificaSecret: base58.encode(
    Buffer.from(vectors.ed25519_rfc8032_test1.seedHex + vectors.ed25519_rfc8032_test1.publicKeyHex, 'hex'),
  ),
  pacificaSeedHex: vectors.ed25519_rfc8032_test1.seedHex,
  asterKey: vectors.eip191_personal_sign.privateKeyHex,
  binanceSecret: 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j',
  okxSecret: vectors.okx_v5.secret,
} as const;

/** OKX's passphrase travels to the exchange in OK-ACCESS-PASSPHRASE, so the signer hands it out like the API key. */
export const OKX_PASSPHRASE = 'okx-passphrase-Z9';

export interface Fixture {
  readonly dir: string;
  readonly dataDir: string;
  readonly credentials: string;
  readonly encryptionKey: string;
  write(accounts: object[]): void;
  accounts(): object[];
}

/** A temp data dir with an ENCRYPTION_KEY and a credentials.json of one account per platform. */
export function createFixture(): Fixture {
  const dir = mkdtempSync(join(tmpdir(), 'signet-signer-'));
  const encryptionKey = generateFernetKey();
  const fernet = new Fernet(encryptionKey);
  const credentials = join(dir, 'credentials.json');
  const accounts = () => [
    {
      platformId: 'pacifica',
      accountId: 'pac-main-001',
      alias: 'Pacifica主账户',
      status: 'active',
      environment: 'production',
      createdAt: '2025-09-01T10:00:00Z',
      secrets: { privateKey: fernet.encrypt(SECRETS.pacificaSecret) },
    },
    {
      platformId: 'aster',
      accountId: 'ast-hedge-001',
      status: 'active',
      secrets: { privateKey: fernet.encrypt(SECRETS.asterKey) },
    },
    {
      platformId: 'binance',
      accountId: 'bn-spot-001',
      status: 'active',
      keyType: 'hmac',
      secrets: {
        apiKey: fernet.encrypt('bn-api-key-0001'),
        apiSecret: fernet.encrypt(SECRETS.binanceSecret),
      },
    },
    {
      platformId: 'okx',
      accountId: 'okx-perp-001',
      status: 'active',
      secrets: {
        apiKey: fernet.encrypt('okx-api-key-0001'),
        apiSecret: fernet.encrypt(SECRETS.okxSecret),
        passphrase: { plaintext: OKX_PASSPHRASE },
      },
    },
    {
      platformId: 'okx',
      accountId: 'okx-disabled',
      status: 'inactive',
      secrets: {
        apiKey: fernet.encrypt('k'),
        apiSecret: fernet.encrypt('s'),
        passphrase: fernet.encrypt('p'),
      },
    },
  ];
  const write = (list: object[]) =>
    writeFileSync(credentials, JSON.stringify({ version: 1, accounts: list }, null, 2), { mode: 0o600 });
  write(accounts());
  return { dir, dataDir: join(dir, 'data'), credentials, encryptionKey, write, accounts };
}
