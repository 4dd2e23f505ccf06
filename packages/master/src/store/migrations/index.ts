import type { Migration, MigrationProvider } from 'kysely';
import * as initial from './001-initial.js';
import * as accounts from './002-accounts.js';
import * as trafficHistory from './003-traffic-history.js';
import * as nodeTls from './004-node-tls.js';
import * as nodeSecretRotation from './005-node-secret-rotation.js';

/**
 * The migrations, in code (no directory scan at run time): name → module. Names sort in the order
 * they run; a new migration gets the next number and is never edited once released.
 */
const MIGRATIONS: Readonly<Record<string, Migration>> = Object.freeze({
  '001-initial': initial,
  '002-accounts': accounts,
  '003-traffic-history': trafficHistory,
  '004-node-tls': nodeTls,
  '005-node-secret-rotation': nodeSecretRotation,
});

export const migrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve(MIGRATIONS),
};
