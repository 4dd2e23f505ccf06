import type { FastifyError } from 'fastify';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { Fernet, type ReplayStore } from '@signet/auth';
import { MASTER_ERROR_STATUS } from './http/error-status.js';
import { openDatabase, StoreError } from './store/index.js';
import { ConfigError } from './xray-config/index.js';
import type { Database } from './store/schema.js';
import { nodeApi, nodeApiErrorStatus } from './routes/node-api.js';
import { ipAllowed, parseAllowList } from './ip-allowlist.js';

export interface MasterOptions {
  readonly dataDir: string;
  /** PostgreSQL; SQLite in dataDir when absent. */
  readonly databaseUrl?: string | undefined;
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
  /** Addresses of reverse proxies whose X-Forwarded-For is believed (rate limits, --allow-ip). */
  readonly trustProxy?: readonly string[];
}

export interface Master {
  readonly app: FastifyInstance;
  readonly db: Kysely<Database>;
  close(): Promise<void>;
}

/** The cluster master: today the node API of seed 000, on a Kysely store (SQLite or PostgreSQL). */
export async function createMaster(options: MasterOptions): Promise<Master> {
  const db = await openDatabase({
    dataDir: options.dataDir,
    ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : {}),
  });
  const app = Fastify({
    bodyLimit: 1_048_576,
    ...(options.trustProxy ? { trustProxy: [...options.trustProxy] } : {}),
    ajv: { customOptions: { coerceTypes: false } },
    logger: {
      level: options.logLevel ?? 'info',
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
  app.setNotFoundHandler((_request, reply) => reply.status(404).send({ error: '资源不存在' }));

  const allowList = parseAllowList(options.allowIps ?? []);
  await app.register(async (api) => {
    api.addHook('onRequest', async (request, reply) => {
      if (!ipAllowed(allowList, request.ip)) return reply.status(403).send({ error: '来源地址不在白名单中' });
    });
    await api.register(nodeApi, {
      db,
      fernet: new Fernet([...options.encryptionKeys]),
      replay: options.replay,
      strictSignatures: options.strictSignatures ?? false,
      maxAgeSeconds: options.maxAgeSeconds ?? 300,
      limits: { heartbeat: options.limits?.heartbeat ?? 3, config: options.limits?.config ?? 10 },
    });
  });
  app.get('/health', async () => ({ status: 'ok' }));

  return {
    app,
    db,
    async close() {
      await app.close();
      await db.destroy();
    },
  };
}
