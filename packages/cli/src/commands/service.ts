import type { Command } from 'commander';
import {
  deleteService,
  getService,
  listServices,
  loadJwtKeys,
  revokeServiceTokens,
  upsertService,
  issueServiceToken,
  SERVICE_TOKEN_MAX_AGE_SECONDS,
  DEFAULT_ISSUER,
  type ServiceAccount,
} from '@signet/master';
import { defaultDataDir } from '../lib/data-dir.js';
import { withMasterStore } from '../lib/master-store.js';
import { audited } from '../lib/operator-audit.js';
import { parseScope } from '../lib/scope.js';
import { NotFoundError } from '../lib/not-found.js';
import { UsageError } from '../lib/usage-error.js';

const MAX_TTL_SECONDS = SERVICE_TOKEN_MAX_AGE_SECONDS;

function parseTtl(value: string): number {
  const ttl = /^[0-9]{1,8}$/.test(value) ? Number(value) : NaN;
  if (!(ttl >= 1 && ttl <= MAX_TTL_SECONDS))
    throw new UsageError(`--ttl: expected whole seconds from 1 to ${MAX_TTL_SECONDS} (30 days)`);
  return ttl;
}

function serviceView(s: ServiceAccount) {
  return {
    name: s.name,
    scope: s.scope,
    createdAt: s.createdAt.toISOString(),
    tokensValidAfter: s.tokensValidAfter.toISOString(),
  };
}

export function registerService(program: Command): void {
  const service = program
    .command('service')
    .description('Manage named services and issue their /v1/service tokens (seed 001)');
  const data = (command: Command) =>
    command.option('--data <dir>', "the master's data directory", defaultDataDir());

  data(
    service
      .command('token <name>')
      .description('Create or update a service and print a JWT for it, signed with the master key')
      .option('--scope <scope>', "read-only or read-write (default: the service's scope, else read-only)")
      .option('--ttl <seconds>', `lifetime in seconds, at most ${MAX_TTL_SECONDS}`, '3600')
      .option('--issuer <iss>', "the master's issuer", DEFAULT_ISSUER)
      .option('--json', 'print {"service": …, "scope": …, "token": …, "expiresAt": …}'),
  ).action(
    async (
      name: string,
      options: { data: string; scope?: string; ttl: string; issuer: string; json?: boolean },
    ) => {
      const requested = options.scope === undefined ? undefined : parseScope(options.scope);
      const ttl = parseTtl(options.ttl);
      const issued = await withMasterStore(options.data, (db, fernet) =>
        audited(
          db,
          {
            action: 'service.token',
            target: `name=${name}`,
            detail: (i) => `scope ${i.account.scope} ttl ${ttl}s`,
          },
          async () => {
            const scope = requested ?? (await getService(db, name))?.scope ?? 'read-only';
            const account = await upsertService(db, name, scope);
            const keys = await loadJwtKeys(db, fernet);
            const { token, expiresAt } = await issueServiceToken(keys, options.issuer, account, ttl);
            return { account, token, expiresAt };
          },
        ),
      );
      process.stdout.write(
        options.json
          ? `${JSON.stringify({ service: issued.account.name, scope: issued.account.scope, token: issued.token, expiresAt: issued.expiresAt.toISOString() })}\n`
          : `${issued.token}\n`,
      );
    },
  );

  data(service.command('list').description('List services').option('--json', 'print a JSON array')).action(
    async (options: { data: string; json?: boolean }) => {
      const rows = (await withMasterStore(options.data, (db) => listServices(db))).map(serviceView);
      process.stdout.write(
        options.json
          ? `${JSON.stringify(rows)}\n`
          : rows.map((r) => `${r.name}\t${r.scope}\ttokens valid after ${r.tokensValidAfter}\n`).join(''),
      );
    },
  );

  data(
    service.command('revoke <name>').description('Revoke every token issued to the service so far'),
  ).action(async (name: string, options: { data: string }) => {
    await withMasterStore(options.data, (db) =>
      audited(db, { action: 'service.revoke', target: `name=${name}` }, async () => {
        if (!(await revokeServiceTokens(db, name)))
          throw new NotFoundError('SERVICE_NOT_FOUND', `no service named ${name}`);
      }),
    );
    process.stdout.write(`tokens of service ${name} revoked\n`);
  });

  data(service.command('delete <name>').description('Delete a service; its tokens stop working')).action(
    async (name: string, options: { data: string }) => {
      await withMasterStore(options.data, (db) =>
        audited(db, { action: 'service.delete', target: `name=${name}` }, async () => {
          if (!(await deleteService(db, name)))
            throw new NotFoundError('SERVICE_NOT_FOUND', `no service named ${name}`);
        }),
      );
      process.stdout.write(`service ${name} deleted\n`);
    },
  );
}
