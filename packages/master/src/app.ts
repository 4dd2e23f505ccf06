import type { FastifyError } from 'fastify';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Fernet, type Keyring, type ReplayStore } from '@signet/auth';
import {
  certificateFingerprint,
  frameworkErrorsFor,
  httpsOption,
  isUnderPrefix,
  reloadTlsOnChange,
  temFailure,
  type TlsFilePaths,
  v1Failure,
} from '@signet/server';
import { OPENAPI_PREFIX, registerApiFamilies } from './api/families.js';
import { DEFAULT_ISSUER } from './api/tokens.js';
import { startStorePruning } from './store-pruning.js';
import { MASTER_ERROR_STATUS } from './http/error-status.js';
import { openDatabase, StoreError } from './store/index.js';
import { TokenKeyring } from './api/token-keyring.js';
import { ConfigError } from './xray-config/index.js';
import type { Database } from './store/schema.js';
import { nodeApi, nodeApiErrorStatus } from './routes/node-api.js';
import { NodeKeyrings } from './routes/node-keyrings.js';
import { ipAllowed, parseAllowList } from './ip-allowlist.js';
import { defaultConsoleDir, serveConsole } from './http/console.js';
import { SignerClient } from './signer-client/index.js';

export interface MasterOptions {
  readonly dataDir: string;
  /** PostgreSQL; SQLite in dataDir when absent. */
  readonly databaseUrl?: string | undefined;
  /** PostgreSQL only: the schema holding the tables (default: the connection's search_path). */
  readonly databaseSchema?: string | undefined;
  readonly encryptionKeys: readonly string[];
  readonly replay: ReplayStore;
  readonly maxAgeSeconds?: number;
  /** Refuse the seed's body `api_secret`; only X-Signature authenticates nodes. */
  readonly strictSignatures?: boolean;
  /** CIDRs or addresses allowed to call the node API; everyone when empty. */
  readonly allowIps?: readonly string[];
  /** Per node per minute. Defaults: heartbeat 3 (the seed's 1/min with tolerance), config 10. */
  readonly limits?: { readonly heartbeat?: number; readonly config?: number };
  readonly logLevel?: string;
  /** Where log lines go (default standard output). */
  readonly logStream?: { write(line: string): void };
  /** Addresses of reverse proxies whose X-Forwarded-For is believed (rate limits, --allow-ip). */
  readonly trustProxy?: readonly string[];
  /** The `/v1/internal` pre-shared key(s), newest first; without any, that group refuses every call (`signet master` says so). */
  readonly internalKeys?: Keyring | undefined;
  /** Accept (and let admins create) L0 TEM keys, which send the secret itself. Default false. */
  readonly allowLevel0Keys?: boolean;
  /** The `iss` of the JWTs this master issues and accepts. Default `signet-master`. */
  readonly issuer?: string;
  /** The URL nodes reach this master at, for printed `signet worker` lines. Default: the request's origin. */
  readonly publicUrl?: string | undefined;
  /** Web session lifetime in seconds. Default 3600. */
  readonly sessionSeconds?: number;
  /** Login attempts per minute per address. Default 10. */
  readonly loginAttemptsPerMinute?: number;
  /** API calls per minute per authenticated caller, in each family, per process. Default 1200. */
  readonly callsPerMinute?: number;
  /** How long a call to a node's Worker API may take, in ms. Default 10 000. */
  readonly workerTimeoutMs?: number;
  /** Audit events older than this many days are deleted (hourly). Default 90. */
  readonly auditRetentionDays?: number;
  /** The signing service the console shows (seed 004), e.g. `http://127.0.0.1:8081`. */
  readonly signerUrl?: string | undefined;
  /** API_SECRET_KEY(s) that sign the calls to the signer (seed 002 data-ts); unsigned without. */
  readonly signerSecret?: Keyring | undefined;
  /** The web console's build, served at `/`; null serves none. Default: `@signet/console`'s dist. */
  readonly consoleDir?: string | null;
  /** Serve HTTPS with this certificate and key (PEM), reloaded when the files change. */
  readonly tls?: TlsFilePaths | undefined;
  /** How often the TLS files are checked for a renewal, in ms. Default 2 000. */
  readonly tlsReloadIntervalMs?: number;
}

export interface Master {
  readonly app: FastifyInstance;
  readonly db: Kysely<Database>;
  close(): Promise<void>;
}

/**
 * The cluster master on a Kysely store (SQLite or PostgreSQL): seed 000's node API, seed 001's `/v1`
 * route groups and seed 003's AK/SK OpenAPI at `/api/v1`, one operation table behind both.
 */
export async function createMaster(options: MasterOptions): Promise<Master> {
  const db = await openDatabase({
    dataDir: options.dataDir,
    ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : {}),
    ...(options.databaseSchema ? { schema: options.databaseSchema } : {}),
  });
  const app = Fastify({
    ...httpsOption(options.tls),
    bodyLimit: 1_048_576,
    ...(options.trustProxy ? { trustProxy: [...options.trustProxy] } : {}),
    // Input is refused, never reshaped: no coercion, and unknown fields are errors, not dropped.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false } },
    // A target the router cannot decode (`/v1/%zz`) is answered before any hook: in the envelope.
    frameworkErrors: frameworkErrorsFor([
      { prefix: '/v1', failure: v1Failure },
      { prefix: OPENAPI_PREFIX, failure: temFailure },
    ]),
    logger: {
      level: options.logLevel ?? 'info',
      ...(options.logStream ? { stream: options.logStream } : {}),
      redact: ['req.headers["x-signature"]', 'req.headers.authorization'],
    },
  });
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const known = nodeApiErrorStatus(error);
    if (known) return reply.status(known.status).send({ error: known.message });
    if (error instanceof StoreError || error instanceof ConfigError) {
      return reply.status(MASTER_ERROR_STATUS[error.code]).send({ error: error.message });
    }
    if (error.validation) return reply.status(400).send({ error: `请求参数错误: ${error.message}` });
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return reply.status(413).send({ error: '请求体过大' });
    if (error.statusCode === 429) return reply.status(429).send({ error: error.message });
    if (error.name === 'InvalidJsonBodyError' || error.code?.startsWith('FST_ERR_CTP')) {
      return reply.status(400).send({ error: '请求参数错误: the body must be JSON' });
    }
    request.log.error({ err: { type: error.name, code: error.code } }, 'unexpected error');
    return reply.status(500).send({ error: '服务器内部错误' });
  });
  // What the router cannot place (`/API/v1/x`, `/v1;x`) is answered in the family it looks like.
  app.setNotFoundHandler((request, reply) => {
    const path = request.url;
    if (isUnderPrefix(path, OPENAPI_PREFIX)) return reply.status(404).send(temFailure(40400));
    if (isUnderPrefix(path, '/v1')) return reply.status(404).send(v1Failure(40400));
    if (isUnderPrefix(path, '/api')) return reply.status(404).send({ error: '资源不存在' }); // seed 000's node API
    // Anything else is a page or a file of the console that does not exist: no API envelope.
    return reply.status(404).type('text/plain; charset=utf-8').send('Not found\n');
  });

  const fernet = new Fernet([...options.encryptionKeys]);
  const keyrings = new NodeKeyrings(db, fernet);
  const internalKeys = options.internalKeys ?? randomBytes(32).toString('hex');
  await registerApiFamilies(app, {
    deps: {
      db,
      fernet,
      publicUrl: options.publicUrl,
      workerTimeoutMs: options.workerTimeoutMs ?? 10_000,
      allowLevel0Keys: options.allowLevel0Keys === true,
      signer: options.signerUrl
        ? new SignerClient({ url: options.signerUrl, secret: options.signerSecret })
        : null,
      masterFingerprint: servedFingerprint(options.tls),
      nodeSecretsChanged: (nodeId) => keyrings.forget(nodeId),
    },
    replay: options.replay,
    maxAgeSeconds: options.maxAgeSeconds ?? 300,
    internalKeys,
    tokenKeys: await TokenKeyring.load(db, fernet),
    issuer: options.issuer ?? DEFAULT_ISSUER,
    sessionSeconds: options.sessionSeconds ?? 3600,
    loginAttemptsPerMinute: options.loginAttemptsPerMinute ?? 10,
    callsPerMinute: options.callsPerMinute ?? 1200,
  });
  const pruning = startStorePruning(db, options.auditRetentionDays ?? 90, app.log);

  const allowList = parseAllowList(options.allowIps ?? []);
  await app.register(async (api) => {
    api.addHook('onRequest', async (request, reply) => {
      if (!ipAllowed(allowList, request.ip)) return reply.status(403).send({ error: '来源地址不在白名单中' });
    });
    await api.register(nodeApi, {
      db,
      fernet,
      keyrings,
      replay: options.replay,
      strictSignatures: options.strictSignatures ?? false,
      maxAgeSeconds: options.maxAgeSeconds ?? 300,
      limits: { heartbeat: options.limits?.heartbeat ?? 3, config: options.limits?.config ?? 10 },
    });
  });
  reloadTlsOnChange(app, options.tls, { intervalMs: options.tlsReloadIntervalMs });
  app.get('/health', async () => ({ status: 'ok' }));
  await serveConsole(app, options.consoleDir === undefined ? defaultConsoleDir() : options.consoleDir);

  return {
    app,
    db,
    async close() {
      pruning.stop();
      await app.close();
      await db.destroy();
    },
  };
}

/**
 * The SHA-256 of the certificate in the TLS file, read at each call so a renewal shows at once (a
 * file caught mid-renewal gives the last one read); null without TLS.
 */
function servedFingerprint(tls: TlsFilePaths | undefined): () => string | null {
  if (tls === undefined) return () => null;
  let last = certificateFingerprint(readFileSync(tls.certPath));
  return () => {
    try {
      last = certificateFingerprint(readFileSync(tls.certPath));
    } catch {
      // keep the last one read
    }
    return last;
  };
}
