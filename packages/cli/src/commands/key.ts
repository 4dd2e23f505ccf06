import type { Command } from 'commander';
import { TEM_ALGORITHMS, temAlgorithmName, type TemAlgorithmName } from '@signet/auth';
import {
  createAccessKey,
  deleteAccessKey,
  getAccessKey,
  getAdmin,
  listAccessKeys,
  rotateAccessKey,
  setAccessKeyEnabled,
  accessKeyView,
  type AccessKeyRecord,
} from '@signet/master';
import { defaultDataDir } from '../lib/data-dir.js';
import { withMasterStore } from '../lib/master-store.js';
import { audited } from '../lib/operator-audit.js';
import { parseScope } from '../lib/scope.js';
import { NotFoundError } from '../lib/not-found.js';
import { UsageError } from '../lib/usage-error.js';

function parseAlgorithm(value: string): TemAlgorithmName {
  const name = temAlgorithmName(value);
  if (name === undefined)
    throw new UsageError(
      `--algorithm: unknown algorithm ${JSON.stringify(value.slice(0, 40))}; expected one of ${Object.keys(TEM_ALGORITHMS).join(', ')}`,
    );
  return name;
}

/** The one time a secret key is shown: at creation and at rotation. */
function printSecret(
  created: { record: AccessKeyRecord; secretKey: string },
  json: boolean,
  verb: string,
): void {
  const { record, secretKey } = created;
  if (TEM_ALGORITHMS[record.algorithm as TemAlgorithmName]?.level === 0)
    process.stderr.write(
      `signet: warning: ${record.algorithm} sends the secret key itself with no freshness; the master refuses L0 keys unless started with --allow-l0-keys\n`,
    );
  if (json) {
    // Exactly the three fields, in its order; scope and owner are in `signet key list --json`.
    const shown = { accessKey: record.accessKey, secretKey, algorithm: record.algorithm };
    process.stdout.write(`${JSON.stringify(shown)}\n`);
    return;
  }
  process.stdout.write(
    `access key ${verb} (${record.algorithm}, ${record.scope}, owner ${record.owner}):\n\n` +
      `  access key: ${record.accessKey}\n  secret key: ${secretKey}\n\n` +
      'the secret key is shown only this once: store it now; it cannot be read back\n',
  );
}

export function registerKey(program: Command): void {
  const key = program.command('key').description('Manage AK/SK access keys for the OpenAPI (seed 003)');
  const data = (command: Command) =>
    command.option('--data <dir>', "the master's data directory", defaultDataDir());

  data(
    key
      .command('create')
      .description('Create an access key and print its secret key (shown once)')
      .option('--algorithm <name>', `one of ${Object.keys(TEM_ALGORITHMS).join(', ')}`, 'L3.SHA256')
      .option('--scope <scope>', 'read-only or read-write', 'read-only')
      .option('--owner <admin>', 'the admin who owns the key (default: the built-in operator)')
      .option('--description <text>', 'what the key is for', '')
      .option('--json', 'print {"accessKey": …, "secretKey": …, "algorithm": …}'),
  ).action(
    async (options: {
      data: string;
      algorithm: string;
      scope: string;
      owner?: string;
      description: string;
      json?: boolean;
    }) => {
      const algorithm = parseAlgorithm(options.algorithm);
      const scope = parseScope(options.scope);
      const created = await withMasterStore(options.data, (db, fernet) =>
        audited(
          db,
          {
            action: 'keys.create',
            target: (c) => `accessKey=${c.record.accessKey}`,
            detail: (c) => `${algorithm} ${scope} owner ${c.record.owner}`,
          },
          async () => {
            let ownerAdminId: number | null = null;
            if (options.owner !== undefined) {
              const owner = await getAdmin(db, options.owner);
              if (!owner)
                throw new NotFoundError('ADMIN_NOT_FOUND', `--owner: no admin named ${options.owner}`);
              ownerAdminId = owner.id;
            }
            return createAccessKey(db, fernet, {
              algorithm,
              scope,
              ownerAdminId,
              description: options.description,
            });
          },
        ),
      );
      printSecret(created, options.json === true, 'created');
    },
  );

  data(
    key
      .command('list')
      .description('List access keys (never their secrets)')
      .option('--json', 'print a JSON array'),
  ).action(async (options: { data: string; json?: boolean }) => {
    const rows = (await withMasterStore(options.data, (db) => listAccessKeys(db))).map(accessKeyView);
    process.stdout.write(
      options.json
        ? `${JSON.stringify(rows)}\n`
        : rows
            .map(
              (r) =>
                `${r.accessKey}\t${r.algorithm}\t${r.scope}\t${r.owner}\t${r.enabled ? 'enabled' : 'disabled'}\tlast used ${r.lastUsedAt ?? 'never'}\t${r.useCount} uses\t${r.description}\n`,
            )
            .join(''),
    );
  });

  for (const enabled of [false, true]) {
    const verb = enabled ? 'enable' : 'disable';
    data(key.command(`${verb} <ak>`).description(`${enabled ? 'Enable' : 'Disable'} an access key`)).action(
      async (ak: string, options: { data: string }) => {
        await withMasterStore(options.data, (db) =>
          audited(db, { action: `keys.${verb}`, target: `accessKey=${ak}` }, async () => {
            if (!(await setAccessKeyEnabled(db, ak, enabled)))
              throw new NotFoundError('ACCESS_KEY_NOT_FOUND', `no access key ${ak}`);
          }),
        );
        process.stdout.write(`access key ${ak} ${verb}d\n`);
      },
    );
  }

  data(key.command('delete <ak>').description('Delete an access key')).action(
    async (ak: string, options: { data: string }) => {
      await withMasterStore(options.data, (db) =>
        audited(db, { action: 'keys.delete', target: `accessKey=${ak}` }, async () => {
          if (!(await deleteAccessKey(db, ak)))
            throw new NotFoundError('ACCESS_KEY_NOT_FOUND', `no access key ${ak}`);
        }),
      );
      process.stdout.write(`access key ${ak} deleted\n`);
    },
  );

  data(
    key
      .command('rotate <ak>')
      .description('Give an access key a new secret key (shown once); the old one stops working')
      .option('--json', 'print {"accessKey": …, "secretKey": …, "algorithm": …}'),
  ).action(async (ak: string, options: { data: string; json?: boolean }) => {
    const rotated = await withMasterStore(options.data, (db, fernet) =>
      audited(db, { action: 'keys.rotate', target: `accessKey=${ak}` }, async () => {
        if (!(await getAccessKey(db, ak)))
          throw new NotFoundError('ACCESS_KEY_NOT_FOUND', `no access key ${ak}`);
        return rotateAccessKey(db, fernet, ak);
      }),
    );
    printSecret(rotated, options.json === true, 'rotated');
  });
}
