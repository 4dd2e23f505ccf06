import { resolve } from 'node:path';
import type { Command } from 'commander';
import { maxRequestAgeSeconds, openReplayStore } from '@signet/server';
import { createMaster } from '@signet/master';
import { defaultDataDir } from '../lib/data-dir.js';
import { commandEncryptionKeys } from '../lib/encryption.js';
import { UsageError } from '../lib/usage-error.js';

interface MasterCommandOptions {
  host: string;
  port: string;
  data: string;
  strictSignatures?: boolean;
  allowIp: string[];
  heartbeatLimit: string;
  configLimit: string;
  logLevel: string;
  trustProxy?: string;
}

export function registerMaster(program: Command): void {
  program
    .command('master')
    .description(
      'Run the cluster master: node registration, heartbeats and config (seed 000); SQLite in --data, PostgreSQL when DATABASE_URL is set',
    )
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on', '8080')
    .option('--data <dir>', 'data directory: master.db, encryption.key', defaultDataDir())
    .option(
      '--strict-signatures',
      "refuse the seed's api_secret in request bodies; nodes must send X-Signature",
    )
    .option(
      '--allow-ip <cidr>',
      'only these addresses or CIDR ranges may call the node API (repeatable)',
      (v: string, all: string[]) => [...all, v],
      [],
    )
    .option(
      '--heartbeat-limit <n>',
      'heartbeats per node per minute (the seed says 1; tolerance for retries)',
      '3',
    )
    .option('--config-limit <n>', 'config pulls per node per minute', '10')
    .option(
      '--trust-proxy <addresses>',
      'behind a reverse proxy: trust X-Forwarded-For from these addresses (comma-separated), for rate limits and --allow-ip',
    )
    .option('--log-level <level>', 'fatal, error, warn, info, debug', 'info')
    .action(async (options: MasterCommandOptions) => {
      const port = Number(options.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new UsageError('--port must be a port number');
      const encryption = commandEncryptionKeys(options.data);
      const replay = await openReplayStore(process.env, 'signet:master:replay:');
      const master = await createMaster({
        dataDir: resolve(options.data),
        databaseUrl: process.env.DATABASE_URL,
        encryptionKeys: encryption.keys,
        replay: replay.store,
        maxAgeSeconds: maxRequestAgeSeconds(),
        strictSignatures: options.strictSignatures === true,
        allowIps: options.allowIp,
        limits: { heartbeat: Number(options.heartbeatLimit), config: Number(options.configLimit) },
        logLevel: options.logLevel,
        ...(options.trustProxy ? { trustProxy: options.trustProxy.split(',').map((a) => a.trim()) } : {}),
      });
      await master.app.listen({ host: options.host, port });
      const bound = master.app.server.address();
      const actual = typeof bound === 'object' && bound ? bound.port : port;
      process.stderr.write(
        `signet master listening on http://${options.host}:${actual} (store: ${process.env.DATABASE_URL ? 'PostgreSQL' : 'SQLite'})\n`,
      );
      const stop = async () => {
        await master.close();
        await replay.close();
        process.exit(0);
      };
      process.once('SIGINT', () => void stop());
      process.once('SIGTERM', () => void stop());
    });
}
