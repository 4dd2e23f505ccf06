import { resolve } from 'node:path';
import type { Command } from 'commander';
import { apiSecretKeys, maxRequestAgeSeconds, openReplayStore } from '@signet/server';
import { countAdmins, createMaster } from '@signet/master';
import { defaultDataDir } from '../lib/data-dir.js';
import { commandEncryptionKeys } from '../lib/encryption.js';
import { UsageError } from '../lib/usage-error.js';
import { addTlsOptions, type TlsFlags, tlsFromFlags } from '../lib/tls-flags.js';

interface MasterCommandOptions extends TlsFlags {
  host: string;
  port: string;
  data: string;
  strictSignatures?: boolean;
  allowIp: string[];
  heartbeatLimit: string;
  configLimit: string;
  logLevel: string;
  trustProxy?: string;
  allowL0Keys?: boolean;
  publicUrl?: string;
  issuer: string;
  sessionTtl: string;
  apiLimit: string;
  signerUrl?: string;
}

export function registerMaster(program: Command): void {
  addTlsOptions(program.command('master'))
    .description(
      'Run the cluster master: node API (seed 000), /v1 route groups (seed 001), AK/SK OpenAPI at /api/v1 (seed 003); SQLite in --data, PostgreSQL when DATABASE_URL is set',
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
    .option(
      '--allow-l0-keys',
      'accept (and let admins create) L0 TEM keys, which send the secret itself and never expire',
    )
    .option('--public-url <url>', 'the URL nodes reach this master at, for printed worker command lines')
    .option('--issuer <name>', 'the issuer of the JWTs this master issues and accepts', 'signet-master')
    .option('--session-ttl <seconds>', 'lifetime of an admin web session token', '3600')
    .option('--api-limit <n>', 'API calls per minute per authenticated caller (key, admin, service)', '1200')
    .option(
      '--signer-url <url>',
      'the signing service (signet signer) the console shows; calls are signed with API_SECRET_KEY when set',
    )
    .option('--log-level <level>', 'fatal, error, warn, info, debug', 'info')
    .action(async (options: MasterCommandOptions) => {
      const port = Number(options.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new UsageError('--port must be a port number');
      const sessionSeconds = Number(options.sessionTtl);
      if (!Number.isInteger(sessionSeconds) || sessionSeconds < 60 || sessionSeconds > 86_400)
        throw new UsageError('--session-ttl must be 60 to 86400 seconds');
      if (options.publicUrl !== undefined && !/^https?:\/\/[^\s/]+/.test(options.publicUrl))
        throw new UsageError('--public-url must be an http(s) URL');
      if (options.signerUrl !== undefined && !/^https?:\/\/[^\s/]+/.test(options.signerUrl))
        throw new UsageError('--signer-url must be an http(s) URL');
      const callsPerMinute = Number(options.apiLimit);
      if (!Number.isInteger(callsPerMinute) || callsPerMinute < 1)
        throw new UsageError('--api-limit must be a positive whole number');
      const tls = tlsFromFlags(options, options.host);
      const encryption = commandEncryptionKeys(options.data);
      // /v1/internal: its own key when set, else the seed's API_SECRET_KEY.
      const internalKeys = apiSecretKeys(process.env, 'SIGNET_INTERNAL_KEY') ?? apiSecretKeys(process.env);
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
        internalKeys,
        allowLevel0Keys: options.allowL0Keys === true,
        publicUrl: options.publicUrl,
        issuer: options.issuer,
        sessionSeconds,
        callsPerMinute,
        signerUrl: options.signerUrl,
        signerSecret: apiSecretKeys(process.env),
        tls,
        ...(options.trustProxy ? { trustProxy: options.trustProxy.split(',').map((a) => a.trim()) } : {}),
      });
      await master.app.listen({ host: options.host, port });
      const bound = master.app.server.address();
      const actual = typeof bound === 'object' && bound ? bound.port : port;
      process.stderr.write(
        `signet master listening on ${tls ? 'https' : 'http'}://${options.host}:${actual} (store: ${process.env.DATABASE_URL ? 'PostgreSQL' : 'SQLite'}); web console at ${tls ? 'https' : 'http'}://${options.host}:${actual}/\n`,
      );
      if ((await countAdmins(master.db)) === 0) {
        process.stderr.write(
          `signet: no admin account yet; create one to sign in to the console and /v1/web:\n  signet admin create NAME --data ${options.data}   (password from a prompt, SIGNET_ADMIN_PASSWORD or --password-stdin)\n`,
        );
      }
      if (internalKeys === undefined) {
        process.stderr.write('signet: API_SECRET_KEY is not set: /v1/internal refuses every call\n');
      }
      const stop = async () => {
        await master.close();
        await replay.close();
        process.exit(0);
      };
      process.once('SIGINT', () => void stop());
      process.once('SIGTERM', () => void stop());
    });
}
