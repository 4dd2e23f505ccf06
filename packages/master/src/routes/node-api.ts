import type { FastifyInstance, FastifyRequest } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import type { Kysely } from 'kysely';
import {
  type Fernet,
  KeyUnknownError,
  type ReplayStore,
  sealNodeSecret,
  secretsEqual,
  SignatureMismatchError,
  SignetAuthError,
  verifyXray,
} from '@signet/auth';
import { rawJsonBody } from '@signet/server';
import {
  applyTrafficReport,
  confirmSecretRotation,
  type Database,
  getNode,
  listUsers,
  newApiSecret,
  type NodeSecrets,
  recordHeartbeat,
  redeemToken,
  setApiSecret,
  setNodeTlsPin,
} from '../store/index.js';
import { generateCoreConfig } from '../xray-config/index.js';
import { acceptedKeyring, type NodeKeyrings, type SecretRole } from './node-keyrings.js';

export interface NodeApiOptions {
  readonly db: Kysely<Database>;
  readonly fernet: Fernet;
  /** The nodes' secrets, cached; shared with the operations that rotate them. */
  readonly keyrings: NodeKeyrings;
  readonly replay: ReplayStore;
  /** Refuse the seed's `api_secret` in the body: only X-Signature authenticates. */
  readonly strictSignatures: boolean;
  readonly maxAgeSeconds: number;
  /** Requests per minute per node: heartbeat (the seed's 1/min, with tolerance) and config (10/min). */
  readonly limits: { readonly heartbeat: number; readonly config: number };
}

/** A failure answered as the seed's `{"error": "..."}`. */
export class NodeApiError extends Error {
  constructor(
    readonly statusCode: 400 | 401 | 404 | 429 | 500,
    message: string,
  ) {
    super(message);
  }
}

const bytes = {
  anyOf: [
    { type: 'string', pattern: '^(0|[1-9][0-9]{0,30})$' },
    { type: 'integer', minimum: 0 },
  ],
};
const trafficSchema = {
  type: 'object',
  required: ['boot_id', 'seq', 'node', 'users'],
  properties: {
    boot_id: { type: 'string', minLength: 1, maxLength: 64 },
    seq: { type: 'integer', minimum: 1 },
    node: { type: 'object', required: ['up', 'down'], properties: { up: bytes, down: bytes } },
    users: {
      type: 'object',
      maxProperties: 100_000,
      additionalProperties: {
        type: 'object',
        required: ['up', 'down'],
        properties: { up: bytes, down: bytes },
      },
    },
  },
};
const nodeId = { type: 'integer', minimum: 1 };
/** What heartbeat and config bodies share: who is calling, and how it proves it. */
const nodeAuthFields = {
  node_id: nodeId,
  api_secret: { type: 'string', maxLength: 512 },
  timestamp: { type: 'integer', minimum: 0 },
};

/**
 * The Master API of seed 000: register, heartbeat, config. Heartbeat and config accept the seed's
 * `api_secret` in the body (unless strict) and X-Signature over the body with the node's secret.
 */
export async function nodeApi(app: FastifyInstance, options: NodeApiOptions): Promise<void> {
  const { db, fernet } = options;
  await app.register(rawJsonBody);
  await app.register(rateLimit, {
    global: false,
    hook: 'preHandler',
    // Room for every node of a large fleet: an evicted counter would lift that node's limit.
    cache: 200_000,
    // Counted before authentication, so keyed by the claimed node and the caller's address: a
    // stranger cannot use up a node's allowance from elsewhere.
    keyGenerator: (request) =>
      `${request.routeOptions.url}:${String((request.body as { node_id?: unknown } | undefined)?.node_id)}:${request.ip}`,
    // Thrown to the error handler, which answers the seed's {"error": …}.
    errorResponseBuilder: (_request, context) =>
      new NodeApiError(429, `请求过于频繁: at most ${context.max} per minute; retry in ${context.after}`),
  });

  const { keyrings } = options;

  /**
   * Which node is calling, proven by X-Signature (or, unless strict, the seed's body api_secret),
   * and with which of its secrets. The first request signed with a rotation's next secret confirms
   * the rotation: the worker has it.
   */
  async function authenticate(
    request: FastifyRequest,
    signedNeedsTimestamp: boolean,
  ): Promise<Authenticated> {
    const body = request.body as { node_id: number; api_secret?: string; timestamp?: number };
    const nodeId = body.node_id;
    const signature = request.headers['x-signature'];
    if (typeof signature !== 'string' && options.strictSignatures)
      throw new NodeApiError(401, '认证失败: X-Signature is required');
    /** The caller, if one of `secrets` proves the request. */
    const proven = async (secrets: NodeSecrets | null): Promise<Authenticated> => {
      const accepted = secrets === null ? undefined : acceptedKeyring(secrets);
      let index: number;
      if (typeof signature === 'string') {
        ({ keyIndex: index } = await verifyXray(request.rawBody ?? Buffer.alloc(0), signature, {
          secret: () => accepted?.secrets,
          requireTimestamp: signedNeedsTimestamp,
          maxAgeSeconds: options.maxAgeSeconds,
          ...(signedNeedsTimestamp ? { replay: options.replay } : {}),
        }));
      } else {
        index = accepted?.secrets.findIndex((secret) => secretsEqual(secret, body.api_secret)) ?? -1;
      }
      const role = accepted?.roles[index];
      if (secrets === null || role === undefined)
        throw new SignatureMismatchError('api_secret does not match');
      return { nodeId, secrets, role };
    };

    const known = await keyrings.get(nodeId);
    let caller: Authenticated;
    try {
      caller = await proven(known.secrets);
    } catch (error) {
      // Cached secrets may predate a rotation made elsewhere: the store decides once more.
      if (!known.cached || !(error instanceof SignatureMismatchError || error instanceof KeyUnknownError))
        throw error;
      caller = await proven((await keyrings.get(nodeId, { fresh: true })).secrets);
    }
    if (
      typeof signature !== 'string' &&
      body.timestamp !== undefined &&
      Math.abs(Math.floor(Date.now() / 1000) - body.timestamp) > options.maxAgeSeconds
    ) {
      throw new NodeApiError(401, '认证失败: timestamp outside the allowed window');
    }
    const next = caller.secrets.next;
    if (caller.role === 'next' && next !== null) {
      await confirmSecretRotation(db, nodeId, next);
      keyrings.forget(nodeId);
    }
    return caller;
  }

  /**
   * Signet's addition to the heartbeat answer during a rotation: the next secret, sealed under the
   * one the worker signed with, until the worker signs with it. Read afresh, so a secret that a
   * rotation elsewhere has replaced is never handed the next one. A worker that does not know the
   * field ignores it and keeps its secret, which stays valid.
   */
  async function rotationFor(caller: Authenticated): Promise<{ rotate_secret?: object }> {
    if (caller.role !== 'current' || caller.secrets.next === null) return {};
    const { secrets } = await keyrings.get(caller.nodeId, { fresh: true });
    if (secrets?.next == null || secrets.current !== caller.secrets.current) return {};
    return {
      rotate_secret: {
        sealed: sealNodeSecret(secrets.next.secret, secrets.current),
        grace_seconds: Math.ceil(secrets.next.graceMs / 1000),
      },
    };
  }

  app.post(
    '/api/node/register',
    {
      schema: {
        body: {
          type: 'object',
          required: ['token', 'timestamp'],
          properties: {
            token: { type: 'string', minLength: 1, maxLength: 256 },
            timestamp: { type: 'integer', minimum: 0 },
            worker_url: { type: 'string', pattern: '^https?://', maxLength: 2048 },
            core_flavour: { enum: ['xray', 'v2ray'] },
            core_version: { type: 'string', maxLength: 64 },
            // Signet's addition: the SHA-256 of the worker's self-signed certificate, to pin.
            tls_fingerprint: { type: 'string', pattern: '^[0-9a-fA-F]{64}$' },
          },
        },
      },
    },
    async (request) => {
      const body = request.body as {
        token: string;
        timestamp: number;
        worker_url?: string;
        core_flavour?: string;
        core_version?: string;
        tls_fingerprint?: string;
      };
      if (Math.abs(Math.floor(Date.now() / 1000) - body.timestamp) > options.maxAgeSeconds) {
        throw new NodeApiError(400, '请求参数错误: timestamp outside the allowed window');
      }
      if (body.tls_fingerprint !== undefined && body.worker_url?.startsWith('http://')) {
        throw new NodeApiError(400, '请求参数错误: a worker with tls_fingerprint serves HTTPS, not http://');
      }
      const id = await redeemToken(db, body.token, new Date());
      if (id === null) throw new NodeApiError(401, 'Token无效');
      const apiSecret = newApiSecret();
      await setApiSecret(db, fernet, id, apiSecret);
      // Registering again replaces the pin (or drops it: a worker with a CA-issued certificate).
      await setNodeTlsPin(db, id, body.tls_fingerprint?.toLowerCase() ?? null);
      keyrings.forget(id);
      await recordHeartbeat(
        db,
        id,
        { workerUrl: body.worker_url, coreFlavour: body.core_flavour, coreVersion: body.core_version },
        new Date(),
        false,
      );
      const node = await getNode(db, id);
      if (!node) throw new NodeApiError(404, '节点不存在');
      const settings = node.settings;
      return {
        node_id: id,
        api_secret: apiSecret,
        hidden_path: node.hiddenPath,
        config: {
          enable_vless: settings.enable_vless,
          enable_splithttp: settings.enable_xhttp,
          enable_hysteria2: settings.enable_hysteria2,
          max_users: settings.max_users,
        },
      };
    },
  );

  app.post(
    '/api/node/heartbeat',
    {
      config: { rateLimit: { max: options.limits.heartbeat, timeWindow: 60_000 } },
      schema: {
        body: {
          type: 'object',
          required: ['node_id'],
          properties: {
            ...nodeAuthFields,
            stats: {
              type: 'object',
              properties: {
                uptime: { type: 'integer', minimum: 0 },
                connections: { type: 'integer', minimum: 0 },
                traffic_up: { type: 'integer', minimum: 0 },
                traffic_down: { type: 'integer', minimum: 0 },
              },
            },
            core_status: { type: 'string', maxLength: 32 },
            config_version: { type: 'string', maxLength: 64 },
            core_flavour: { enum: ['xray', 'v2ray'] },
            core_version: { type: 'string', maxLength: 64 },
            worker_url: { type: 'string', pattern: '^https?://', maxLength: 2048 },
            traffic: trafficSchema,
          },
        },
        response: {
          200: {
            type: 'object',
            required: ['status'],
            additionalProperties: false,
            properties: {
              status: { type: 'string' },
              rotate_secret: {
                type: 'object',
                required: ['sealed', 'grace_seconds'],
                additionalProperties: false,
                properties: { sealed: { type: 'string' }, grace_seconds: { type: 'integer' } },
              },
            },
          },
        },
      },
    },
    async (request) => {
      const caller = await authenticate(request, true);
      const id = caller.nodeId;
      const body = request.body as {
        stats?: object;
        core_status?: string;
        config_version?: string;
        core_flavour?: string;
        core_version?: string;
        worker_url?: string;
        traffic?: {
          boot_id: string;
          seq: number;
          node: { up: string | number; down: string | number };
          users: Record<string, { up: string | number; down: string | number }>;
        };
      };
      // The node is alive even if its traffic report is refused (a counter gone backwards, say).
      await recordHeartbeat(
        db,
        id,
        {
          stats: body.stats,
          coreStatus: body.core_status,
          configVersion: body.config_version,
          coreFlavour: body.core_flavour,
          coreVersion: body.core_version,
          workerUrl: body.worker_url,
        },
        new Date(),
        true,
      );
      if (body.traffic) {
        const t = body.traffic;
        await applyTrafficReport(db, id, {
          bootId: t.boot_id,
          seq: t.seq,
          node: { up: BigInt(t.node.up), down: BigInt(t.node.down) },
          users: Object.fromEntries(
            Object.entries(t.users).map(([email, b]) => [email, { up: BigInt(b.up), down: BigInt(b.down) }]),
          ),
        });
      }
      return { status: 'ok', ...(await rotationFor(caller)) };
    },
  );

  app.post(
    '/api/node/config',
    {
      config: { rateLimit: { max: options.limits.config, timeWindow: 60_000 } },
      schema: {
        body: {
          type: 'object',
          required: ['node_id'],
          properties: {
            ...nodeAuthFields,
          },
        },
      },
    },
    async (request) => {
      // Signed pulls carry a timestamp and are accepted once; the seed's body secret needs neither.
      const id = (await authenticate(request, true)).nodeId;
      const node = await getNode(db, id);
      if (!node) throw new NodeApiError(404, '节点不存在');
      const users = (await listUsers(db)).filter((user) => user.enabled);
      const generated = generateCoreConfig(node, users, {
        flavour: node.coreFlavour === 'v2ray' ? 'v2ray' : 'xray',
      });
      return { xray_config: generated.configJson, config_version: generated.configVersion };
    },
  );
}

/** A node proven by one of its secrets. */
interface Authenticated {
  readonly nodeId: number;
  readonly secrets: NodeSecrets;
  readonly role: SecretRole;
}

/** The seed's error shape for this API family. */
export function nodeApiErrorStatus(error: unknown): { status: number; message: string } | undefined {
  if (error instanceof NodeApiError) return { status: error.statusCode, message: error.message };
  if (error instanceof SignetAuthError) {
    if (error.code === 'MALFORMED') return { status: 400, message: '请求参数错误' };
    if (error.code === 'REPLAY_STORE_UNAVAILABLE') return { status: 503, message: '服务暂不可用' };
    return { status: 401, message: '认证失败' };
  }
  return undefined;
}
