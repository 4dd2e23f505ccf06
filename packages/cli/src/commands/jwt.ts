import type { Command } from 'commander';
import { loadJwtKeys, rotateJwtKey } from '@signet/master';
import { defaultDataDir } from '../lib/data-dir.js';
import { withMasterStore } from '../lib/master-store.js';
import { audited } from '../lib/operator-audit.js';

export function registerJwt(program: Command): void {
  const jwt = program
    .command('jwt')
    .description("The master's JWT signing keys (web sessions, service tokens)");

  jwt
    .command('rotate')
    .description(
      'Add a new signing key: running masters sign with it within a minute and accept its tokens at once; tokens of the key it replaces still verify until the next rotation',
    )
    .option('--data <dir>', "the master's data directory", defaultDataDir())
    .option('--json', 'print {"kid": …, "verifying": [kid, …]}')
    .action(async (options: { data: string; json?: boolean }) => {
      const { kid, verifying } = await withMasterStore(options.data, (db, fernet) =>
        audited(db, { action: 'jwt.rotate', target: (result) => `kid=${result.kid}` }, async () => {
          const kid = await rotateJwtKey(db, fernet);
          const keys = await loadJwtKeys(db, fernet);
          return { kid, verifying: keys.jwks.keys.map((key) => String(key.kid)) };
        }),
      );
      process.stdout.write(
        options.json
          ? `${JSON.stringify({ kid, verifying })}\n`
          : `new signing key ${kid}; tokens signed by ${verifying.filter((k) => k !== kid).join(', ') || 'no other key'} still verify\n`,
      );
    });
}
