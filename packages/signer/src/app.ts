import { createHash } from 'node:crypto';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { Fernet, type ReplayStore } from '@signet/auth';
import {
  checkSecretFileMode,
  dataTsAuth,
  httpsOption,
  loopbackHostOnly,
  rawJsonBody,
  reloadTlsOnChange,
  type SecretFilePolicy,
  type TlsFilePaths,
} from '@signet/server';
import { AuditLog } from './audit/audit-log.js';
import { AccountRegistry, type ReloadResult } from './credentials/registry.js';
import type { ConfigLoadFailedError } from './errors.js';
import { failure } from './http/envelope.js';
import { installErrorHandler } from './http/error-handler.js';
import { createSignerMetrics } from './metrics.js';
import { accountRoutes } from './routes/accounts.js';
import { operationRoutes } from './routes/operations.js';
import { serviceRoutes } from './routes/service.js';
import { signRoutes } from './routes/sign.js';
import { SigningService } from './signing-service.js';
import { UsageStore } from './usage/usage-store.js';

export interface SignerOptions {
  readonly credentialsPath: string;
  /** Where usage and the audit log are kept. */
  readonly dataDir: string;
  /** ENCRYPTION_KEY(s), newest first, and the primary's fingerprint. */
  readonly encryptionKeys: readonly string[];
  readonly encryptionKeyFingerprint: string;
  /** API_SECRET_KEY(s): when given, every /api/v1, /metrics and /security-info request must carry a data-ts signature. */
  readonly apiSecretKeys?: readonly string[] | undefined;
  readonly maxAgeSeconds?: number;
  readonly replay?: ReplayStore;
  /** Watch the credentials file and reload on change. Default true. */
  readonly watch?: boolean;
  readonly logLevel?: string;
  /** Serve HTTPS with this certificate and key (PEM), reloaded when the files change. */
  readonly tls?: TlsFilePaths | undefined;
  /** A credentials file other users can read is refused at start unless this allows it. */
  readonly secretFiles?: SecretFilePolicy;
}

export interface Signer {
  readonly app: FastifyInstance;
  readonly registry: AccountRegistry;
  close(): Promise<void>;
}

const fingerprint = (key: string) => createHash('sha256').update(key).digest('hex').slice(0, 16);

/** Builds the signing service (seed 004): loads the credentials (failing if they do not load) and the routes. */
export async function createSigner(options: SignerOptions): Promise<Signer> {
  checkSecretFileMode(options.credentialsPath, options.secretFiles);
  const metrics = createSignerMetrics();
  const usage = new UsageStore(join(options.dataDir, 'signer-usage.json'));
  const audit = new AuditLog(join(options.dataDir, 'signer-audit.jsonl'));
  const registry = new AccountRegistry(
    options.credentialsPath,
    new Fernet([...options.encryptionKeys]),
    (outcome: ReloadResult | ConfigLoadFailedError, caller: string) => {
      const ok = !(outcome instanceof Error);
      metrics.reloads.inc({ result: ok ? 'success' : 'CONFIG_LOAD_FAILED' });
      if (ok) {
        metrics.accounts.reset();
        for (const account of registry.accounts.values())
          metrics.accounts.inc({ platform: account.platformId });
      }
      audit.append({
        caller,
        action: 'config.reload',
        platformId: null,
        accountId: null,
        requestId: null,
        dataSha256: null,
        result: ok ? 'success' : outcome.code,
        latencyMs: 0,
      });
    },
  );
  const startup = await registry.reload('startup').catch(async (error: unknown) => {
    usage.close();
    await audit.close();
    throw error;
  });
  if (options.watch !== false) registry.watch();

  const app = Fastify({
    ...httpsOption(options.tls),
    bodyLimit: 1_048_576,
    // No type coercion: a number where a string is due is bad data, not a string.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false } },
    logger: {
      level: options.logLevel ?? 'info',
      // Request bodies are never logged; these headers carry signatures and are redacted if ever logged.
      redact: ['req.headers["x-signature"]', 'req.headers.authorization'],
    },
  });
  reloadTlsOnChange(app, options.tls);
  for (const warning of startup.warnings) app.log.warn(warning);
  installErrorHandler(app);
  await app.register(rawJsonBody);
  const authRequired = (options.apiSecretKeys?.length ?? 0) > 0;
  if (!authRequired) {
    await app.register(loopbackHostOnly, {
      reply: () =>
        failure('FORBIDDEN', 'without API_SECRET_KEY the signer answers loopback host names only', {}),
    });
  }
  const signing = new SigningService(registry, usage, audit, metrics);

  app.get(
    '/health',
    {
      schema: {
        response: {
          200: { type: 'object', properties: { status: { type: 'string' }, accounts: { type: 'integer' } } },
        },
      },
    },
    async () => ({
      status: 'ok',
      accounts: registry.accounts.size,
    }),
  );
  await app.register(async (api) => {
    if (authRequired) {
      await api.register(dataTsAuth, {
        secret: [...(options.apiSecretKeys ?? [])],
        ...(options.maxAgeSeconds === undefined ? {} : { maxAgeSeconds: options.maxAgeSeconds }),
        ...(options.replay === undefined ? {} : { replay: options.replay }),
      });
    }
    await api.register(signRoutes, { signing });
    await api.register(accountRoutes, { registry, usage });
    await api.register(serviceRoutes, { registry, usage, audit, startedAt: Date.now() });
    await api.register(operationRoutes, {
      metrics,
      security: {
        authRequired,
        maxAgeSeconds: options.maxAgeSeconds ?? 300,
        encryptionKeyFingerprint: options.encryptionKeyFingerprint,
        apiSecretKeyFingerprints: (options.apiSecretKeys ?? []).map(fingerprint),
      },
    });
  });

  return {
    app,
    registry,
    async close() {
      registry.unwatch();
      await app.close();
      usage.close();
      await audit.close();
    },
  };
}
