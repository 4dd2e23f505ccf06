import type { FastifyInstance } from 'fastify';
import {
  type Keyring,
  MAX_SECRET_GRACE_SECONDS,
  type ReplayStore,
  SignatureMismatchError,
  SignetAuthError,
  verifyXray,
} from '@signet/auth';
import { rawJsonBody } from '@signet/server';

/** What the Worker API drives; the agent implements it over the core supervisor and the ledger. */
export interface NodeControl {
  registered(): boolean;
  coreStatus(): string;
  /** Drains the traffic counters, then restarts the core. */
  restartCore(): Promise<void>;
  /** Validates and applies a core config (JSON text); throws ConfigRejectedError when the core refuses it. */
  applyConfig(configJson: string): Promise<void>;
  logs(lines: number): string;
  stats(): { uptime: number; connections: number; traffic_up: number; traffic_down: number };
  /** The node's api_secret(s), newest first; undefined before registration. */
  secret(): Keyring | undefined;
  /**
   * Stores the next api_secret of a rotation (sealed under a secret this node holds) and signs with
   * it from then on, accepting the replaced one for `graceSeconds`; false when it is the secret the
   * node has already. Throws SecretRejectedError when the sealed secret opens under none of them.
   */
  replaceSecret(sealed: string, graceSeconds: number): boolean;
}

/** A config the core refused: the seed's 400 "配置格式错误". */
export class ConfigRejectedError extends Error {
  override readonly name = 'ConfigRejectedError';
}

/** A rotation's sealed secret that opens under none of the node's secrets: 400. */
export class SecretRejectedError extends Error {
  override readonly name = 'SecretRejectedError';
}

export interface WorkerApiOptions {
  readonly node: NodeControl;
  readonly replay: ReplayStore;
  readonly maxAgeSeconds?: number;
}

// Closed bodies: a signed body made for another route or direction (the worker's heartbeat to the
// master, say) carries other members and is refused here. `nonce` lets callers make bodies unique.
const body = (properties: Record<string, object>, required: string[] = ['timestamp']) => ({
  type: 'object',
  required,
  additionalProperties: false,
  properties: { timestamp: { type: 'integer' }, nonce: { type: 'string', maxLength: 128 }, ...properties },
});
const errorSchema = { type: 'object', properties: { error: { type: 'string' } } };
const okSchema = (extra: Record<string, object> = {}) => ({
  type: 'object',
  properties: { status: { type: 'string' }, message: { type: 'string' }, ...extra },
});

/**
 * The Worker API exactly as seed 000 documents it. Every POST is verified with X-Signature over the
 * raw body (Python's json.dumps(body, sort_keys=True)) and its timestamp, and claimed in the replay
 * store, so a captured request is accepted once, on one route. Errors are `{"error": "..."}`.
 */
export async function workerApi(app: FastifyInstance, options: WorkerApiOptions): Promise<void> {
  const { node } = options;
  await app.register(rawJsonBody);

  app.setErrorHandler(
    (error: Error & { statusCode?: number; validation?: unknown; code?: string }, _request, reply) => {
      if (error instanceof SignetAuthError) {
        const status =
          error.code === 'MALFORMED' ? 400 : error.code === 'REPLAY_STORE_UNAVAILABLE' ? 503 : 401;
        return reply.status(status).send({ error: status === 400 ? '请求参数错误' : '签名验证失败' });
      }
      if (error instanceof ConfigRejectedError)
        return reply.status(400).send({ error: `配置格式错误: ${error.message}` });
      if (error instanceof SecretRejectedError)
        return reply.status(400).send({ error: `请求参数错误: ${error.message}` });
      if (
        error.validation ||
        error.name === 'InvalidJsonBodyError' ||
        error.code?.startsWith('FST_ERR_CTP')
      ) {
        const status =
          error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? 413 : error.statusCode === 415 ? 415 : 400;
        return reply
          .status(status)
          .send({ error: status === 413 ? '请求体过大' : `请求参数错误: ${error.message}` });
      }
      return reply.status(500).send({ error: error.message });
    },
  );
  app.setNotFoundHandler((_request, reply) => reply.status(404).send({ error: '资源不存在' }));

  app.get(
    '/health',
    {
      schema: {
        response: {
          200: okSchema({
            registered: { type: 'boolean' },
            xray_status: { type: 'string' },
            timestamp: { type: 'integer' },
          }),
        },
      },
    },
    async () => ({
      status: 'ok',
      registered: node.registered(),
      xray_status: node.coreStatus(),
      timestamp: Math.floor(Date.now() / 1000),
    }),
  );

  await app.register(async (signed) => {
    // Which of the node's secrets signed each request (0: the current one).
    const signedWith = new WeakMap<object, number>();
    signed.addHook('preValidation', async (request) => {
      const secret = node.secret();
      const { keyIndex } = await verifyXray(
        request.rawBody ?? Buffer.alloc(0),
        header(request.headers['x-signature']),
        {
          secret: () => secret,
          replay: options.replay,
          ...(options.maxAgeSeconds === undefined ? {} : { maxAgeSeconds: options.maxAgeSeconds }),
        },
      );
      signedWith.set(request, keyIndex);
    });

    signed.post(
      '/api/restart',
      { schema: { body: body({}), response: { 200: okSchema(), 500: errorSchema } } },
      async (_request, reply) => {
        try {
          await node.restartCore();
        } catch (error) {
          return reply.status(500).send({ error: `Xray重启失败: ${(error as Error).message}` });
        }
        return { status: 'ok', message: 'Xray重启成功' };
      },
    );

    signed.post(
      '/api/config',
      {
        schema: {
          body: body({ config: { type: 'string', minLength: 2, maxLength: 1_000_000 } }, [
            'config',
            'timestamp',
          ]),
          response: { 200: okSchema(), 500: errorSchema },
        },
      },
      async (request, reply) => {
        const { config } = request.body as { config: string };
        try {
          JSON.parse(config);
        } catch {
          throw new ConfigRejectedError('config is not JSON');
        }
        try {
          await node.applyConfig(config);
        } catch (error) {
          if (error instanceof ConfigRejectedError) throw error;
          return reply.status(500).send({ error: `配置更新失败: ${(error as Error).message}` });
        }
        return { status: 'ok', message: '配置更新成功' };
      },
    );

    // Signet's addition for secret rotation (the master's `nodes.rotateSecret`).
    signed.post(
      '/api/secret',
      {
        schema: {
          body: body(
            {
              sealed_secret: { type: 'string', minLength: 1, maxLength: 2048 },
              grace_seconds: { type: 'integer', minimum: 0, maximum: MAX_SECRET_GRACE_SECONDS },
            },
            ['sealed_secret', 'grace_seconds', 'timestamp'],
          ),
          response: { 200: okSchema() },
        },
      },
      async (request) => {
        // A secret in its grace period still calls, but never chooses the next one.
        if (signedWith.get(request) !== 0)
          throw new SignatureMismatchError('a new secret is accepted only when signed with the current one');
        const { sealed_secret, grace_seconds } = request.body as {
          sealed_secret: string;
          grace_seconds: number;
        };
        const replaced = node.replaceSecret(sealed_secret, grace_seconds);
        return { status: 'ok', message: replaced ? 'api_secret replaced' : 'api_secret already in use' };
      },
    );

    signed.post(
      '/api/logs',
      {
        schema: {
          body: body({ lines: { type: 'integer', minimum: 1, maximum: 1000 } }),
          response: { 200: okSchema({ logs: { type: 'string' } }) },
        },
      },
      async (request) => ({
        status: 'ok',
        logs: node.logs((request.body as { lines?: number }).lines ?? 100),
      }),
    );

    signed.post(
      '/api/stats',
      {
        schema: {
          body: body({}),
          response: {
            200: okSchema({
              stats: {
                type: 'object',
                properties: {
                  uptime: { type: 'integer' },
                  connections: { type: 'integer' },
                  traffic_up: { type: 'integer' },
                  traffic_down: { type: 'integer' },
                  xray_status: { type: 'string' },
                },
              },
            }),
          },
        },
      },
      async () => ({ status: 'ok', stats: { ...node.stats(), xray_status: node.coreStatus() } }),
    );
  });
}

function header(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
