import type { Kysely } from 'kysely';
import { Fernet } from '@signet/auth';
import { type Database, openDatabase } from '@signet/master';
import { commandEncryptionKeys } from './encryption.js';

/** The master's store for a one-shot command, on the same data as a running master. */
export async function withMasterStore<T>(
  dataDir: string,
  work: (db: Kysely<Database>, fernet: Fernet) => Promise<T>,
): Promise<T> {
  const fernet = new Fernet(commandEncryptionKeys(dataDir).keys);
  const db = await openDatabase({
    dataDir,
    ...(process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL } : {}),
  });
  try {
    return await work(db, fernet);
  } finally {
    await db.destroy();
  }
}
