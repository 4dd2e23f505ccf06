import { resolve } from 'node:path';
import type { Command } from 'commander';
import { apiSecretKeys, maxRequestAgeSeconds, openReplayStore } from '@signet/server';
import { createSigner } from '@signet/signer';
import { defaultDataDir } from '../lib/data-dir.js';
import { commandEncryptionKeys } from '../lib/encryption.js';
import { isLoopback } from '../lib/loopback.js';
import { UsageError } from '../lib/usage-error.js';
import { addTlsOptions, type TlsFlags, tlsFromFlags } from '../lib/tls-flags.js';
import { secretFilePolicy } from '../lib/secret-files.js';
import { registerCredentials } from './signer-credentials.js';

interface SignerCommandOptions extends TlsFlags {
  host: string;
  port: string;
  credentials?: string;
  data: string;
  config?: string;
  insecureNoAuth?: boolean;
  requireAuth?: boolean;
  logLevel: string;
}

export function registerSigner(program: Command): void {
  const signer = addTlsOptions(program.command('signer'))
    .description(
      'Run the signing service (seed 004): custody of exchange credentials, signing for pacifica, aster, binance, okx',
    )
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on', '8081')
    .option('--credentials <file>', 'credentials.json (default: <data>/credentials.json)')
    .option('--data <dir>', 'data directory: encryption.key, usage, audit log', defaultDataDir())
    .option('--config <file>', 'JSON config file with an "encryptionKey"')
    .option('--require-auth', 'require data-ts signatures (API_SECRET_KEY) even on loopback')
    .option('--insecure-no-auth', 'serve a non-loopback address without request signatures')
    .option('--log-level <level>', 'fatal, error, warn, info, debug', 'info')
    .action(async (options: SignerCommandOptions) => {
      const port = Number(options.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new UsageError('--port must be a port number');
      const keys = apiSecretKeys();
      const authRequired =
        options.requireAuth === true || (!isLoopback(options.host) && options.insecureNoAuth !== true);
      if (authRequired && !keys) {
        throw new UsageError(
          options.requireAuth
            ? '--require-auth needs API_SECRET_KEY, the key requests are signed with'
            : `listening on ${options.host} requires signed requests: set API_SECRET_KEY (or, on a trusted network only, pass --insecure-no-auth)`,
        );
      }
      const tls = tlsFromFlags(options, options.host);
      const encryption = commandEncryptionKeys(options.data, options.config);
      const replay = await openReplayStore(process.env, 'signet:signer:replay:');
      const service = await createSigner({
        credentialsPath: resolve(options.credentials ?? `${options.data}/credentials.json`),
        dataDir: options.data,
        encryptionKeys: encryption.keys,
        encryptionKeyFingerprint: encryption.fingerprint,
        apiSecretKeys: authRequired ? keys : undefined,
        maxAgeSeconds: maxRequestAgeSeconds(),
        replay: replay.store,
        logLevel: options.logLevel,
        tls,
        secretFiles: secretFilePolicy(),
      });
      await service.app.listen({ host: options.host, port });
      const bound = service.app.server.address();
      const address = `${tls ? 'https' : 'http'}://${options.host.includes(':') ? `[${options.host}]` : options.host}:${typeof bound === 'object' && bound ? bound.port : port}`;
      process.stderr.write(
        `signet signer listening on ${address} (${service.registry.accounts.size} accounts, requests ${authRequired ? 'signed with API_SECRET_KEY (data-ts)' : 'unauthenticated: loopback only'})\n`,
      );
      const stop = async () => {
        await service.close();
        await replay.close();
        process.exit(0);
      };
      process.once('SIGINT', () => void stop());
      process.once('SIGTERM', () => void stop());
    });
  registerCredentials(signer);
}
