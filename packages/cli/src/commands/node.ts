import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { certificateFingerprint } from '@signet/server';
import {
  createNode,
  DEFAULT_SECRET_GRACE_SECONDS,
  getNodeByName,
  issueRegistrationToken,
  listNodes,
  MAX_SECRET_GRACE_SECONDS,
  MIN_SECRET_GRACE_SECONDS,
  rotateNodeSecret,
  rotationMessage,
} from '@signet/master';
import { parseDuration } from '../lib/duration.js';
import { UsageError } from '../lib/usage-error.js';
import { defaultDataDir } from '../lib/data-dir.js';
import { withMasterStore } from '../lib/master-store.js';
import { audited } from '../lib/operator-audit.js';

export function registerNode(program: Command): void {
  const node = program.command('node').description('Manage cluster nodes in the master store');

  node
    .command('add <name>')
    .description('Create a node and print its one-time registration token (valid 24 h, works once)')
    .option('--data <dir>', "the master's data directory", defaultDataDir())
    .option('--master <url>', 'master URL to put in the printed worker command line', 'http://MASTER:8080')
    .option(
      '--master-cert <file>',
      "the master's --tls-cert: the printed worker line pins it with --master-fingerprint",
    )
    .option('--vless-port <port>', 'port of the VLESS-over-TCP inbound (default 443)')
    .option('--ws-port <port>', 'port of the HTTP-based transport on the hidden path (default 8443)')
    .option('--max-users <n>', 'most proxy users the node carries (default 100)')
    .option(
      '--json',
      'print {"nodeId": …, "token": "…", "expiresAt": "…", "workerCommand": "signet worker …"}',
    )
    .action(
      async (
        name: string,
        options: {
          data: string;
          master: string;
          masterCert?: string;
          json?: boolean;
          vlessPort?: string;
          wsPort?: string;
          maxUsers?: string;
        },
      ) => {
        const settings = {
          ...(options.vlessPort === undefined ? {} : { port: Number(options.vlessPort) }),
          ...(options.wsPort === undefined ? {} : { ws_port: Number(options.wsPort) }),
          ...(options.maxUsers === undefined ? {} : { max_users: Number(options.maxUsers) }),
        };
        const pin = options.masterCert === undefined ? '' : masterPin(options.masterCert, options.master);
        const created = await withMasterStore(options.data, (db, fernet) =>
          audited(db, { action: 'nodes.create', target: `name=${name}` }, () =>
            createNode(db, fernet, name, settings),
          ),
        );
        const workerCommand = workerLine(options.master, created.token, pin);
        if (options.json) {
          process.stdout.write(
            `${JSON.stringify({ nodeId: created.nodeId, token: created.token, expiresAt: created.expiresAt.toISOString(), workerCommand })}\n`,
          );
          return;
        }
        process.stdout.write(
          `node ${name} (id ${created.nodeId}) created; its registration token works once, until ${created.expiresAt.toISOString()}:\n\n  ${created.token}\n\non the node, run:\n\n  ${workerCommand}\n`,
        );
      },
    );

  node
    .command('token <name>')
    .description('Issue a new one-time registration token for an existing node (to register it again)')
    .option('--data <dir>', "the master's data directory", defaultDataDir())
    .option('--master <url>', 'master URL to put in the worker command line of --json', 'http://MASTER:8080')
    .option(
      '--master-cert <file>',
      "the master's --tls-cert: the worker line pins it with --master-fingerprint",
    )
    .option(
      '--json',
      'print {"nodeId": …, "token": "…", "expiresAt": "…", "workerCommand": "signet worker …"}',
    )
    .action(
      async (
        name: string,
        options: { data: string; master: string; masterCert?: string; json?: boolean },
      ) => {
        const pin = options.masterCert === undefined ? '' : masterPin(options.masterCert, options.master);
        const issued = await withMasterStore(options.data, (db) =>
          audited(db, { action: 'nodes.token', target: `name=${name}` }, async () => {
            const found = await getNodeByName(db, name);
            if (!found) throw new UsageError(`no node named ${name}`);
            return { nodeId: found.id, ...(await issueRegistrationToken(db, found.id)) };
          }),
        );
        process.stdout.write(
          options.json
            ? `${JSON.stringify({ nodeId: issued.nodeId, token: issued.token, expiresAt: issued.expiresAt.toISOString(), workerCommand: workerLine(options.master, issued.token, pin) })}\n`
            : `${issued.token}\n`,
        );
      },
    );

  node
    .command('rotate-secret <name>')
    .description(
      'Issue the node a new api_secret, handed to its worker at once (or with its next heartbeat); the old one keeps working for the grace period after the worker has the new one',
    )
    .option('--data <dir>', "the master's data directory", defaultDataDir())
    .option(
      '--grace <time>',
      'how long the old secret is still accepted: seconds, or a number with s, m, h or d',
      `${DEFAULT_SECRET_GRACE_SECONDS}`,
    )
    .option('--json', 'print {"nodeId": …, "delivered": …, "pendingSince": …, "previousValidUntil": …}')
    .action(async (name: string, options: { data: string; grace: string; json?: boolean }) => {
      const graceSeconds = parseDuration(options.grace, '--grace', {
        min: MIN_SECRET_GRACE_SECONDS,
        max: MAX_SECRET_GRACE_SECONDS,
      });
      const { nodeId, rotation } = await withMasterStore(options.data, (db, fernet) =>
        audited(db, { action: 'nodes.rotateSecret', target: `name=${name}` }, async () => {
          const found = await getNodeByName(db, name);
          if (!found) throw new UsageError(`no node named ${name}`);
          const rotation = await rotateNodeSecret(db, fernet, found, {
            graceSeconds,
            workerTimeoutMs: 10_000,
          });
          return { nodeId: found.id, rotation };
        }),
      );
      const iso = (date: Date | null) => date?.toISOString() ?? null;
      process.stdout.write(
        options.json
          ? `${JSON.stringify({
              nodeId,
              delivered: rotation.delivered,
              pendingSince: iso(rotation.pendingSince),
              previousValidUntil: iso(rotation.previousValidUntil),
            })}\n`
          : `node ${name}: ${rotationMessage(rotation)}\n`,
      );
    });

  node
    .command('list')
    .description('List nodes with their state')
    .option('--data <dir>', "the master's data directory", defaultDataDir())
    .option('--json', 'print a JSON array')
    .action(async (options: { data: string; json?: boolean }) => {
      const nodes = await withMasterStore(options.data, (db) => listNodes(db));
      const rows = nodes.map((n) => ({
        id: n.id,
        name: n.name,
        online: n.online,
        lastHeartbeat: n.lastHeartbeatAt?.toISOString() ?? null,
        core: n.coreStatus,
        configVersion: n.configVersion,
      }));
      process.stdout.write(
        options.json
          ? `${JSON.stringify(rows)}\n`
          : `${rows.map((r) => `${r.id}\t${r.name}\t${r.online ? 'online' : 'offline'}\t${r.core ?? '-'}\t${r.lastHeartbeat ?? 'never'}`).join('\n')}\n`,
      );
    });
}

/** The line to run on the node (the master's API prints the same one). */
function workerLine(master: string, token: string, pin: string): string {
  return `signet worker --master ${master} --token ${token}${pin}`;
}

/** ` --master-fingerprint HEX` for the master's certificate file, checked before anything is created. */
function masterPin(certPath: string, master: string): string {
  if (!master.startsWith('https://'))
    throw new UsageError(
      '--master-cert needs an https:// --master URL (the worker pins what it connects to)',
    );
  let fingerprint: string;
  try {
    fingerprint = certificateFingerprint(readFileSync(certPath));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      `--master-cert: ${certPath} ${code ? `cannot be read (${code})` : 'is not a PEM certificate'}`,
    );
  }
  return ` --master-fingerprint ${fingerprint}`;
}
