import { resolve } from 'node:path';
import type { Command } from 'commander';
import { DEMO_ACCOUNT_NAMES, ensureDemoCredentials } from '../lib/dev-credentials.js';
import { DevServices, freePort } from '../lib/dev-services.js';
import { DEV_ADMIN, DEV_NODE, devAccounts, devKeys, devLayout } from '../lib/dev-state.js';
import { UsageError } from '../lib/usage-error.js';

interface DevOptions {
  data: string;
  port: string;
  signerPort: string;
  workerPort: string;
  core?: string;
  logLevel: string;
}

const LOOPBACK = '127.0.0.1';
const HEARTBEAT_SECONDS = 10; // livelier than production's 60 s; the master's limits allow it

/** A port option: a number, 0 meaning "a free one". */
async function portOption(value: string, name: string): Promise<number> {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`${name} must be a port number`);
  return port === 0 ? freePort() : port;
}

export function registerDev(program: Command): void {
  program
    .command('dev')
    .description(
      'Run a local playground on loopback: master with the console, signer with demo accounts, and a worker driving a real core, all kept in one data directory',
    )
    .option('--data <dir>', 'where the playground keeps everything', resolve('.signet', 'dev'))
    .option('--port <port>', "the master's port: the console is at http://127.0.0.1:PORT/", '8080')
    .option('--signer-port <port>', "the signer's port (0: a free one)", '0')
    .option('--worker-port <port>', "the worker API's port (0: a free one)", '0')
    .option('--core <path>', 'the core binary (default: xray, then v2ray, on PATH)')
    .option('--log-level <level>', 'log level of the master and the signer', 'warn')
    .action(async (options: DevOptions) => {
      const [port, signerPort, workerPort, coreApiPort] = [
        await portOption(options.port, '--port'),
        await portOption(options.signerPort, '--signer-port'),
        await portOption(options.workerPort, '--worker-port'),
        await freePort(),
      ];
      const layout = devLayout(resolve(options.data));
      const log = (message: string) => process.stderr.write(`[dev] ${message}\n`);

      const keys = devKeys(layout, log);
      const { password, nodeToken } = await devAccounts(layout, keys, freePort, log);
      for (const account of await ensureDemoCredentials(layout.signer, keys.encryptionKey))
        log(`signer: demo account ${account} added, with a freshly generated key`);
      // Everything in the data dir: a DATABASE_URL or REDIS_URL meant for a real master is not used.
      const {
        DATABASE_URL: _db,
        REDIS_URL: _redis,
        SIGNET_ADMIN_PASSWORD: _password,
        ...inherited
      } = process.env;
      const env = { ...inherited, ENCRYPTION_KEY: keys.encryptionKey, API_SECRET_KEY: keys.apiSecretKey };

      const services = new DevServices(
        env,
        (name, how) => void shutdown(1, `${name} ${how}; stopping the others`),
      );
      const shutdown = async (code: number, why: string) => {
        if (!services.stopping) log(why);
        await services.stop();
        process.exit(code);
      };
      // `on`, not `once`: a repeated signal (a second Ctrl-C, `timeout` signalling twice) must not kill
      // dev mid-stop and orphan the services; each stop is bounded anyway.
      for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
        process.on(signal, () => void shutdown(0, `${signal}: stopping the playground`));

      const signerUrl = `http://${LOOPBACK}:${signerPort}`;
      const workerUrl = `http://${LOOPBACK}:${workerPort}`;
      let master: string;
      try {
        // The master calls the signer only when asked, so both start at once.
        [, master] = await Promise.all([
          services.start('signer', [
            'signer',
            ...['--host', LOOPBACK, '--port', String(signerPort), '--data', layout.signer],
            ...['--require-auth', '--log-level', options.logLevel],
          ]),
          services.start('master', [
            'master',
            ...['--host', LOOPBACK, '--port', String(port), '--data', layout.data],
            ...['--public-url', `http://${LOOPBACK}:${port}`, '--signer-url', signerUrl],
            ...['--heartbeat-limit', '20', '--config-limit', '20', '--log-level', options.logLevel],
          ]),
        ]);
        await services.start('worker', [
          'worker',
          ...['--master', master, ...(nodeToken ? ['--token', nodeToken] : [])],
          ...['--host', LOOPBACK, '--port', String(workerPort), '--advertise', workerUrl],
          ...['--data', layout.worker, '--core-api-port', String(coreApiPort)],
          ...['--heartbeat-interval', String(HEARTBEAT_SECONDS)],
          ...(options.core ? ['--core', options.core] : []),
        ]);
      } catch (error) {
        return shutdown(1, `${(error as Error).message}; stopping the others`);
      }

      process.stdout.write(
        [
          '',
          '  Signet playground is running',
          '',
          `  Console   ${master}/`,
          `  Admin     ${DEV_ADMIN}`,
          password === undefined
            ? `  Password  (not kept here: set one with signet admin password ${DEV_ADMIN} --data ${layout.data})`
            : `  Password  ${password}`,
          `  Signer    ${signerUrl} (demo accounts ${DEMO_ACCOUNT_NAMES.join(', ')})`,
          `  Node      ${DEV_NODE}, worker ${workerUrl}`,
          `  Data      ${layout.data} (keys, admin password, master.db, signer/, worker/; delete it to start afresh)`,
          `  Commands  signet user add EMAIL --data ${layout.data}   (and node, key, traffic, admin)`,
          '  Stop      Ctrl-C (stops the worker and its core, the master, the signer)',
          '',
          '',
        ].join('\n'),
      );
    });
}
