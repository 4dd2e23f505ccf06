import type { Command } from 'commander';
import {
  createAdmin,
  deleteAdmin,
  getAdmin,
  listAdmins,
  setAdminPassword,
  unlockAdmin,
  type AdminAccount,
} from '@signet/master';
import { defaultDataDir } from '../lib/data-dir.js';
import { withMasterStore } from '../lib/master-store.js';
import { audited } from '../lib/operator-audit.js';
import { PASSWORD_ENV, readNewPassword } from '../lib/password-input.js';
import { NotFoundError } from '../lib/not-found.js';
import { UsageError } from '../lib/usage-error.js';

/** What `admin list --json` shows: never the password hash. */
function adminView(a: AdminAccount) {
  return {
    id: a.id,
    name: a.name,
    createdAt: a.createdAt.toISOString(),
    lastLoginAt: a.lastLoginAt?.toISOString() ?? null,
    failedLogins: a.failedLogins,
    lockedUntil: a.lockedUntil && a.lockedUntil.getTime() > Date.now() ? a.lockedUntil.toISOString() : null,
  };
}

export function registerAdmin(program: Command): void {
  const admin = program.command('admin').description('Manage admin accounts (console logins, key owners)');
  const data = (command: Command) =>
    command.option('--data <dir>', "the master's data directory", defaultDataDir());
  const passwordHelp = `read the password as one line of standard input (else ${PASSWORD_ENV}, else a prompt)`;

  data(
    admin
      .command('create <name>')
      .description(`Create an admin; the password comes from ${PASSWORD_ENV}, --password-stdin or a prompt`)
      .option('--password-stdin', passwordHelp),
  ).action(async (name: string, options: { data: string; passwordStdin?: boolean }) => {
    const created = await withMasterStore(options.data, (db) =>
      audited(db, { action: 'admin.create', target: `name=${name}` }, async () => {
        // Checked before asking, so nobody types a password twice for nothing.
        if (await getAdmin(db, name)) throw new UsageError(`an admin named ${name} exists`);
        const password = await readNewPassword({ ...options, label: `password for ${name}` });
        return createAdmin(db, name, password);
      }),
    );
    process.stdout.write(`admin ${created.name} (id ${created.id}) created\n`);
  });

  data(admin.command('list').description('List admins').option('--json', 'print a JSON array')).action(
    async (options: { data: string; json?: boolean }) => {
      const rows = (await withMasterStore(options.data, (db) => listAdmins(db))).map(adminView);
      process.stdout.write(
        options.json
          ? `${JSON.stringify(rows)}\n`
          : rows
              .map(
                (r) =>
                  `${r.id}\t${r.name}\tlast login ${r.lastLoginAt ?? 'never'}\t${r.lockedUntil ? `locked until ${r.lockedUntil}` : 'unlocked'}\n`,
              )
              .join(''),
      );
    },
  );

  data(admin.command('delete <name>').description("Delete an admin and the admin's access keys")).action(
    async (name: string, options: { data: string }) => {
      await withMasterStore(options.data, (db) =>
        audited(db, { action: 'admin.delete', target: `name=${name}` }, async () => {
          if (!(await deleteAdmin(db, name)))
            throw new NotFoundError('ADMIN_NOT_FOUND', `no admin named ${name}`);
        }),
      );
      process.stdout.write(`admin ${name} deleted\n`);
    },
  );

  data(admin.command('unlock <name>').description('Clear failed logins and any lockout')).action(
    async (name: string, options: { data: string }) => {
      await withMasterStore(options.data, (db) =>
        audited(db, { action: 'admin.unlock', target: `name=${name}` }, async () => {
          if (!(await unlockAdmin(db, name)))
            throw new NotFoundError('ADMIN_NOT_FOUND', `no admin named ${name}`);
        }),
      );
      process.stdout.write(`admin ${name} unlocked\n`);
    },
  );

  data(
    admin
      .command('password <name>')
      .description(`Set an admin's password, from ${PASSWORD_ENV}, --password-stdin or a prompt`)
      .option('--password-stdin', passwordHelp),
  ).action(async (name: string, options: { data: string; passwordStdin?: boolean }) => {
    await withMasterStore(options.data, (db) =>
      audited(db, { action: 'admin.password', target: `name=${name}` }, async () => {
        if (!(await getAdmin(db, name))) throw new NotFoundError('ADMIN_NOT_FOUND', `no admin named ${name}`);
        const password = await readNewPassword({ ...options, label: `new password for ${name}` });
        if (!(await setAdminPassword(db, name, password)))
          throw new NotFoundError('ADMIN_NOT_FOUND', `no admin named ${name}`);
      }),
    );
    process.stdout.write(`password of admin ${name} changed\n`);
  });
}
