import { readFileSync } from 'node:fs';
import type { Fernet } from '@signet/auth';
import { writeFileAtomic } from '@signet/server';

/** What registration gave this node, kept in `<data>/worker.json`; the api_secret Fernet-encrypted. */
export interface NodeCredentials {
  readonly master: string;
  readonly nodeId: number;
  readonly apiSecret: string;
  readonly hiddenPath: string;
}

interface StoredCredentials {
  readonly version: 1;
  readonly master: string;
  readonly node_id: number;
  readonly api_secret: string;
  readonly hidden_path: string;
}

export function readCredentials(path: string, fernet: Fernet): NodeCredentials | null {
  let stored: StoredCredentials;
  try {
    stored = JSON.parse(readFileSync(path, 'utf8')) as StoredCredentials;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new Error(`${path} is not readable worker credentials; move it away to register again`, {
      cause: error,
    });
  }
  return {
    master: stored.master,
    nodeId: stored.node_id,
    apiSecret: Buffer.from(fernet.decrypt(stored.api_secret)).toString('utf8'),
    hiddenPath: stored.hidden_path,
  };
}

export function writeCredentials(path: string, fernet: Fernet, credentials: NodeCredentials): void {
  const stored: StoredCredentials = {
    version: 1,
    master: credentials.master,
    node_id: credentials.nodeId,
    api_secret: fernet.encrypt(credentials.apiSecret),
    hidden_path: credentials.hiddenPath,
  };
  writeFileAtomic(path, `${JSON.stringify(stored, null, 2)}\n`);
}
