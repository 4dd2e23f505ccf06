import { loadEncryptionKeys, type EncryptionKeys } from '@signet/server';
import { secretFilePolicy } from './secret-files.js';

/** ENCRYPTION_KEY for a command, reporting the key's origin (never the key) on stderr. */
export function commandEncryptionKeys(dataDir: string, configFile?: string): EncryptionKeys {
  return loadEncryptionKeys({
    dataDir,
    ...(configFile === undefined ? {} : { configFile }),
    log: (_level, message) => process.stderr.write(`signet: ${message}\n`),
    secretFiles: secretFilePolicy(),
  });
}
