import type { Command } from 'commander';
import { addUser, listUsers, removeUser } from '@signet/master';
import { defaultDataDir } from '../lib/data-dir.js';
import { withMasterStore } from '../lib/master-store.js';
import { audited } from '../lib/operator-audit.js';
import { UsageError } from '../lib/usage-error.js';

export function registerUser(program: Command): void {
  const user = program.command('user').description('Manage proxy users (VLESS clients) in the master store');
  const data = (command: Command) =>
    command.option('--data <dir>', "the master's data directory", defaultDataDir());

  data(
    user
      .command('add <email>')
      .description('Add a proxy user with a new UUID')
      .option('--json', 'print the user as JSON'),
  ).action(async (email: string, options: { data: string; json?: boolean }) => {
    const added = await withMasterStore(options.data, (db) =>
      audited(db, { action: 'users.create', target: `email=${email}` }, () => addUser(db, email)),
    );
    process.stdout.write(options.json ? `${JSON.stringify(added)}\n` : `${added.email}\t${added.id}\n`);
  });

  data(user.command('remove <email>').description('Remove a proxy user')).action(
    async (email: string, options: { data: string }) => {
      await withMasterStore(options.data, (db) =>
        audited(db, { action: 'users.delete', target: `email=${email}` }, async () => {
          if (!(await removeUser(db, email))) throw new UsageError(`no user ${email}`);
        }),
      );
    },
  );

  data(user.command('list').description('List proxy users').option('--json', 'print a JSON array')).action(
    async (options: { data: string; json?: boolean }) => {
      const users = await withMasterStore(options.data, (db) => listUsers(db));
      process.stdout.write(
        options.json
          ? `${JSON.stringify(users)}\n`
          : `${users.map((u) => `${u.email}\t${u.id}\t${u.enabled ? 'enabled' : 'disabled'}`).join('\n')}\n`,
      );
    },
  );
}
