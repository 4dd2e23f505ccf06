import { resolve } from 'node:path';
import type { Command } from 'commander';
import { maxRequestAgeSeconds, openReplayStore, parseFingerprint } from '@signet/server';
import { startWorker } from '@signet/worker';
import { defaultDataDir } from '../lib/data-dir.js';
import { commandEncryptionKeys } from '../lib/encryption.js';
import { UsageError } from '../lib/usage-error.js';
import { secretFilePolicy } from '../lib/secret-files.js';
import { addTlsOptions, type WorkerTlsFlags, workerTlsFromFlags } from '../lib/tls-flags.js';

interface WorkerCommandOptions extends WorkerTlsFlags {
  master: string;
  token?: string;
  host: string;
  port: string;
  data: string;
  core?: string;
  coreApiPort: string;
  heartbeatInterval: string;
  statsInterval: string;
  advertise?: string;
  allowLoopbackDestinations?: boolean;
  masterFingerprint: string[];
}

const seconds = (value: string, name: string) => {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${name} must be a positive number of seconds`);
  return n;
};

export function registerWorker(program: Command): void {
  addTlsOptions(program.command('worker'))
    .description(
      'Run the node agent: registers with the master, drives a real xray or v2ray core, reports traffic exactly once (seed 000)',
    )
    .requiredOption('--master <url>', "the master's URL")
    .option(
      '--token <token>',
      'one-time registration token from `signet node add` (first start only; SIGNET_WORKER_TOKEN keeps it out of the process list)',
    )
    .option('--host <host>', 'address of the Worker API', '127.0.0.1')
    .option('--port <port>', 'port of the Worker API', '9090')
    .option('--data <dir>', 'data directory: credentials, traffic ledger, core config', defaultDataDir())
    .option('--core <path>', 'the core binary (default: xray, then v2ray, on PATH)')
    .option('--core-api-port <port>', "loopback port of the core's gRPC API", '10085')
    .option('--heartbeat-interval <s>', 'seconds between heartbeats (and config pulls)', '60')
    .option('--stats-interval <s>', "seconds between reads of the core's traffic counters", '10')
    .option('--advertise <url>', 'the URL the master should use to call this worker')
    .option(
      '--tls-self-signed',
      "serve HTTPS with the worker's own self-signed certificate (the default off loopback without --tls-cert), pinned by the master",
    )
    .option(
      '--master-fingerprint <sha256>',
      'accept only a master presenting this certificate (SHA-256, hex with or without colons; repeatable, to roll over a renewal)',
      (v: string, all: string[]) => [...all, v],
      [],
    )
    .option(
      '--allow-loopback-destinations',
      "let proxy users reach this machine's loopback addresses (tests; never the core's API or the Worker API)",
    )
    .action(async (options: WorkerCommandOptions) => {
      const port = Number(options.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new UsageError('--port must be a port number');
      const { tls, selfSigned } = workerTlsFromFlags(options, options.host);
      const scheme = tls !== undefined || selfSigned ? 'https:' : 'http:';
      if (options.advertise !== undefined) {
        let advertised: URL;
        try {
          advertised = new URL(options.advertise);
        } catch {
          throw new UsageError('--advertise must be an http(s) URL');
        }
        if (advertised.protocol !== scheme)
          throw new UsageError(
            `--advertise must be an ${scheme.slice(0, -1)}:// URL: this worker serves ${scheme === 'https:' ? 'HTTPS' : 'plain HTTP'}`,
          );
      }
      const masterFingerprints = options.masterFingerprint.map((given) => {
        const fingerprint = parseFingerprint(given);
        if (fingerprint === null)
          throw new UsageError(
            '--master-fingerprint must be a SHA-256 certificate fingerprint: 64 hex digits, colons allowed',
          );
        return fingerprint;
      });
      if (masterFingerprints.length > 0 && !options.master.startsWith('https://'))
        throw new UsageError('--master-fingerprint needs an https:// --master URL');
      const replay = await openReplayStore(process.env, 'signet:worker:replay:');
      const worker = await startWorker({
        masterUrl: options.master,
        token: options.token ?? process.env.SIGNET_WORKER_TOKEN,
        host: options.host,
        port,
        dataDir: resolve(options.data),
        corePath: options.core,
        encryptionKeys: commandEncryptionKeys(options.data).keys,
        replay: replay.store,
        coreApiPort: Number(options.coreApiPort),
        heartbeatSeconds: seconds(options.heartbeatInterval, '--heartbeat-interval'),
        statsSeconds: seconds(options.statsInterval, '--stats-interval'),
        workerUrl: options.advertise,
        allowLoopbackDestinations: options.allowLoopbackDestinations === true,
        maxAgeSeconds: maxRequestAgeSeconds(),
        tls,
        selfSignedTls: selfSigned,
        masterFingerprints,
        secretFiles: secretFilePolicy(),
        log: (message) => process.stderr.write(`signet worker: ${message}\n`),
      });
      process.stderr.write(`signet worker listening on ${worker.url}\n`);
      const stop = async () => {
        await worker.close();
        await replay.close();
        process.exit(0);
      };
      process.once('SIGINT', () => void stop());
      process.once('SIGTERM', () => void stop());
    });
}
