import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Fernet } from '@signet/auth';
import { apiSecretKeys, loadEncryptionKeys } from '@signet/server';
import {
  createAdmin,
  createNode,
  getAdmin,
  getNodeByName,
  issueRegistrationToken,
  openDatabase,
} from '@signet/master';
import { audited } from './operator-audit.js';

/**
 * The state of `signet dev`, all of it in one data directory, created on the first start and
 * reused on every later one: the master's store sits at the top (so `signet user add … --data DIR`
 * works on it), the signer and the worker in folders of their own.
 */
export const DEV_ADMIN = 'admin';
export const DEV_NODE = 'local';

export interface DevLayout {
  readonly data: string;
  readonly signer: string;
  readonly worker: string;
  readonly apiSecretFile: string;
  readonly passwordFile: string;
}

export function devLayout(data: string): DevLayout {
  return {
    data,
    signer: join(data, 'signer'),
    worker: join(data, 'worker'),
    apiSecretFile: join(data, 'api-secret.key'),
    passwordFile: join(data, 'admin-password'),
  };
}

const readKept = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined);

/** A secret kept in a file of its own (mode 0600): read when it exists, else generated once. */
function keptSecret(file: string, generate: () => string): string {
  const kept = readKept(file);
  if (kept !== undefined) return kept;
  const value = generate();
  // 'wx': never replaces a file another start wrote meanwhile.
  writeFileSync(file, `${value}\n`, { mode: 0o600, flag: 'wx' });
  return value;
}

export interface DevKeys {
  /** ENCRYPTION_KEY for every child, comma-separated, newest first. */
  readonly encryptionKey: string;
  readonly apiSecretKey: string;
}

/** ENCRYPTION_KEY and API_SECRET_KEY from the environment, else kept in the data dir. Never logged. */
export function devKeys(layout: DevLayout, log: (message: string) => void): DevKeys {
  mkdirSync(layout.data, { recursive: true, mode: 0o700 });
  const encryption = loadEncryptionKeys({ dataDir: layout.data, log: (_level, message) => log(message) });
  const fromEnv = apiSecretKeys(process.env);
  return {
    encryptionKey: encryption.keys.join(','),
    apiSecretKey: fromEnv
      ? fromEnv.join(',')
      : keptSecret(layout.apiSecretFile, () => randomBytes(32).toString('hex')),
  };
}

export interface DevAccounts {
  /** The admin's password, or undefined when the admin was made elsewhere and dev does not know it. */
  readonly password: string | undefined;
  /** A one-time token for the worker's first registration; undefined when it registered before. */
  readonly nodeToken: string | undefined;
}

/**
 * The admin and the node in the master's store, each created once, as `signet admin create` and
 * `signet node add` would (same functions, same audit events). A node deleted since the last
 * start (from the console) is created again, and the worker's old registration dropped.
 */
export async function devAccounts(
  layout: DevLayout,
  keys: DevKeys,
  freePort: () => Promise<number>,
  log: (message: string) => void,
): Promise<DevAccounts> {
  const fernet = new Fernet(keys.encryptionKey.split(','));
  const db = await openDatabase({ dataDir: layout.data });
  try {
    let password = readKept(layout.passwordFile);
    if (!(await getAdmin(db, DEV_ADMIN))) {
      // Kept before the account exists, so no start can create an admin whose password is lost.
      password = keptSecret(layout.passwordFile, () => randomBytes(18).toString('base64url'));
      const chosen = password;
      await audited(db, { action: 'admin.create', target: `name=${DEV_ADMIN}` }, () =>
        createAdmin(db, DEV_ADMIN, chosen),
      );
      log(`admin ${DEV_ADMIN} created; its password is kept in ${layout.passwordFile}`);
    }

    const registered = existsSync(join(layout.worker, 'worker.json'));
    const node = await getNodeByName(db, DEV_NODE);
    if (node && registered) return { password, nodeToken: undefined };
    if (node) {
      const issued = await audited(db, { action: 'nodes.token', target: `name=${DEV_NODE}` }, () =>
        issueRegistrationToken(db, node.id),
      );
      return { password, nodeToken: issued.token };
    }
    rmSync(layout.worker, { recursive: true, force: true });
    const settings = { port: await freePort(), ws_port: await freePort() };
    const created = await audited(db, { action: 'nodes.create', target: `name=${DEV_NODE}` }, () =>
      createNode(db, fernet, DEV_NODE, settings),
    );
    log(`node ${DEV_NODE} created (VLESS on port ${settings.port})`);
    return { password, nodeToken: created.token };
  } finally {
    await db.destroy();
  }
}
