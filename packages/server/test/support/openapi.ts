// An app with seed 003's OpenAPI mounted at /api/v1 and a few routes as a service would add them,
// one access key per algorithm, and counters that show whether a route handler ran.
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { MemoryReplayStore, type ReplayStore, signTem } from '@signet/auth';
import {
  registerOpenApi,
  requireScope,
  temOk,
  temResponseSchema,
  type TemResolvedKey,
} from '../../src/index.js';

export const PREFIX = '/api/v1';
export const UNAUTHORIZED = { Data: null, Success: false, Code: 40100, Message: 'unauthorized' };

/** One key per algorithm (and the seed's L0 alias), plus a read-only, a disabled and the seed's own key. */
export const KEYS = {
  'L0.PLAINTEXT': { accessKey: 'ak-l0-plain', secretKey: 'sk-plain-0f3c1d', algorithm: 'L0.PLAINTEXT' },
  'L0.PAINTEXT': { accessKey: 'ak-l0-paint', secretKey: 'sk-paint-9a8b7c', algorithm: 'L0.PAINTEXT' },
  'L0.SHA1': { accessKey: 'ak-l0-sha1', secretKey: 'sk-l0-sha1-55aa', algorithm: 'L0.SHA1' },
  'L3.SHA1': { accessKey: 'ak-l3-sha1', secretKey: 'sk-l3-sha1-d00d', algorithm: 'L3.SHA1' },
  'L3.SHA256': { accessKey: 'ak-l3-sha256', secretKey: 'sk-l3-sha256-beef', algorithm: 'L3.SHA256' },
  'L3.HMAC-SHA256': { accessKey: 'ak-l3-hmac', secretKey: 'sk-l3-hmac-cafe', algorithm: 'L3.HMAC-SHA256' },
  readOnly: { accessKey: 'ak-read-only', secretKey: 'sk-read-only-1234', algorithm: 'L3.SHA256' },
  disabled: { accessKey: 'ak-disabled', secretKey: 'sk-disabled-5678', algorithm: 'L3.SHA256' },
  seed: {
    accessKey: '5e685006656cfc80',
    secretKey: '75997c30879a58436fa55d73c7b9c5c9',
    algorithm: 'L3.SHA256',
  },
  seedL0: {
    accessKey: '5e685006656cfc81',
    secretKey: '75997c30879a58436fa55d73c7b9c5c9',
    algorithm: 'L0.PLAINTEXT',
  },
} as const;
export type KeyName = keyof typeof KEYS;
export const ALGORITHMS = [
  'L0.PLAINTEXT',
  'L0.PAINTEXT',
  'L0.SHA1',
  'L3.SHA1',
  'L3.SHA256',
  'L3.HMAC-SHA256',
] as const;

const KEY_TABLE = new Map<string, TemResolvedKey>(
  Object.entries(KEYS).map(([name, key]) => [
    key.accessKey,
    {
      secretKey: key.secretKey,
      algorithm: key.algorithm,
      enabled: name !== 'disabled',
      subject: `owner-of-${name}`,
      scopes: name === 'readOnly' ? ['read'] : ['read', 'write'],
    },
  ]),
);

export interface OpenApiAppOptions {
  allowLevel0?: boolean;
  replay?: ReplayStore;
  maxAgeSeconds?: number;
  /** Captures the log lines (JSON) instead of discarding them. */
  logLines?: string[];
  fastify?: FastifyServerOptions;
}

export interface OpenApiApp {
  app: FastifyInstance;
  /** How many times any route handler ran. */
  calls: { count: number };
  /** The access keys onAuthenticated saw, in order. */
  authenticated: string[];
}

const anyData = { type: 'object', additionalProperties: true };
const writeScope = async (request: Parameters<typeof requireScope>[0]) => requireScope(request, 'write');

export async function openApiApp(options: OpenApiAppOptions = {}): Promise<OpenApiApp> {
  const lines = options.logLines;
  const app = Fastify({
    ...(lines
      ? { logger: { level: 'info', stream: { write: (line: string) => void lines.push(line) } } }
      : { logger: false }),
    bodyLimit: 4096,
    ...options.fastify,
  });
  const calls = { count: 0 };
  const authenticated: string[] = [];
  const ok = { schema: { response: { 200: temResponseSchema(anyData) } } };
  await registerOpenApi(app, {
    prefix: PREFIX,
    auth: {
      resolveKey: async (accessKey) => KEY_TABLE.get(accessKey),
      replay: options.replay ?? new MemoryReplayStore(),
      ...(options.allowLevel0 === undefined ? {} : { allowLevel0: options.allowLevel0 }),
      ...(options.maxAgeSeconds === undefined ? {} : { maxAgeSeconds: options.maxAgeSeconds }),
      onAuthenticated: (request) => {
        if (request.principal?.kind === 'access-key') authenticated.push(request.principal.accessKey);
      },
    },
    routes: (api) => {
      api.get('/whoami', ok, async (request) => {
        calls.count++;
        return temOk({ principal: request.principal, query: request.query });
      });
      api.get('/cluster/tidbs/:id', ok, async (request) => {
        calls.count++;
        return temOk({ Alias: (request.params as { id: string }).id });
      });
      const nodeBody = {
        type: 'object',
        required: ['name'],
        additionalProperties: true,
        properties: { name: { type: 'string', maxLength: 40 } },
      };
      api.post(
        '/nodes',
        { ...ok, schema: { ...ok.schema, body: nodeBody }, preHandler: writeScope },
        async (request) => {
          calls.count++;
          return temOk({ created: request.body });
        },
      );
      api.put('/nodes/:id', { ...ok, preHandler: writeScope }, async (request) => {
        calls.count++;
        return temOk({ updated: (request.params as { id: string }).id, body: request.body ?? null });
      });
      api.delete('/nodes/:id', { ...ok, preHandler: writeScope }, async (request) => {
        calls.count++;
        return temOk({ deleted: (request.params as { id: string }).id });
      });
      api.get('/forbidden', ok, async () => {
        calls.count++;
        throw Object.assign(new Error('slow down'), { statusCode: 429 });
      });
      api.get('/boom', ok, async () => {
        calls.count++;
        throw new Error('database password is hunter2');
      });
    },
  });
  return { app, calls, authenticated };
}

/** A header signed by Signet's signer, for the cases that alter one part of a valid request. */
export function authorization(
  name: KeyName,
  request: { method: string; url: string; body?: string; timestamp?: string },
): string {
  return signTem({ ...KEYS[name], ...request }).headers.Authorization;
}

export interface Answer {
  status: number;
  json: unknown;
  text: string;
}

/** One request over real HTTP with fetch; a body is sent as application/json. */
export async function send(
  base: string,
  method: string,
  path: string,
  options: { authorization?: string; body?: string; contentType?: string } = {},
): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (options.authorization !== undefined) headers['authorization'] = options.authorization;
  if (options.body !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
  const response = await fetch(`${base}${path}`, {
    method,
    headers,
    ...(options.body === undefined ? {} : { body: options.body }),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, json, text };
}
