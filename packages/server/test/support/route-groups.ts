// A Signet app with the /v1 route groups and a few routes in each, plus the clients the route-group
// tests use: signed headers, JWTs, and a raw HTTP/1.1 client that sends the request target as given.
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { connect } from 'node:net';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import {
  createJwtVerifier,
  type Keyring,
  MemoryReplayStore,
  type ReplayStore,
  signInternal,
  signJwt,
} from '@signet/auth';
import { registerRouteGroups, v1Error, v1Ok } from '../../src/route-groups/index.js';

export const SECRET = 'my-secret-key';
export const ISSUER = 'signet-test';
export const AUDIENCE = { web: 'signet-web', service: 'signet-service' } as const;
export const UNAUTHORIZED = { code: 40100, message: 'unauthorized', data: null };

function keyPair(kid: string) {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, jwk: { ...publicKey.export({ format: 'jwk' }), kid, alg: 'EdDSA', use: 'sig' } };
}
/** The issuer's key, and a stranger's key under the same id and under another id. */
export const KEYS = { issuer: keyPair('k1'), impostor: keyPair('k1'), stranger: keyPair('k9') };

export interface TokenOptions {
  audience?: string;
  issuer?: string;
  subject?: string;
  key?: KeyObject;
  kid?: string;
  now?: () => number;
  expiresInSeconds?: number;
}

export function token(kind: 'web' | 'service', options: TokenOptions = {}): Promise<string> {
  return signJwt(
    { role: kind === 'web' ? 'admin' : 'service' },
    {
      privateKey: options.key ?? KEYS.issuer.privateKey,
      kid: options.kid ?? 'k1',
      issuer: options.issuer ?? ISSUER,
      audience: options.audience ?? AUDIENCE[kind],
      subject: options.subject ?? (kind === 'web' ? 'alice' : 'billing'),
      ...(options.now ? { now: options.now } : {}),
      ...(options.expiresInSeconds ? { expiresInSeconds: options.expiresInSeconds } : {}),
    },
  );
}

/** Seed 001 headers, signed now (or at `timestamp`) with a fresh nonce. */
export function signed(options: { secret?: Keyring; timestamp?: string; nonce?: string } = {}) {
  return signInternal({ secret: options.secret ?? SECRET, ...options }).headers;
}

export const nowSeconds = () => Math.floor(Date.now() / 1000);

export interface GroupsAppOptions {
  secret?: Keyring;
  replay?: ReplayStore;
  maxAgeSeconds?: number;
  /** Captures the log lines (JSON) instead of discarding them. */
  logLines?: string[];
  fastify?: FastifyServerOptions;
}

const anyData = { type: 'object', additionalProperties: true };

/** The app: the built-in groups plus a route or two in each, as a service would add them. */
export async function groupsApp(options: GroupsAppOptions = {}): Promise<FastifyInstance> {
  const lines = options.logLines;
  const app = Fastify({
    ...(lines
      ? { logger: { level: 'info', stream: { write: (line: string) => void lines.push(line) } } }
      : { logger: false }),
    ...options.fastify,
  });
  const verifier = (kind: 'web' | 'service') =>
    createJwtVerifier({ jwks: { keys: [KEYS.issuer.jwk] }, issuer: ISSUER, audience: AUDIENCE[kind] });
  const whoami = (app: FastifyInstance) => {
    app.get('/whoami', async (request) => v1Ok(request.principal));
  };
  await registerRouteGroups(app, {
    internal: {
      secret: options.secret ?? SECRET,
      replay: options.replay ?? new MemoryReplayStore(),
      ...(options.maxAgeSeconds ? { maxAgeSeconds: options.maxAgeSeconds } : {}),
    },
    web: { verifier: verifier('web') },
    service: { verifier: verifier('service') },
    routes: {
      internal: whoami,
      web: whoami,
      service: whoami,
      public: (app) => {
        whoami(app);
        app.get('/status', async () => v1Ok({ ok: true }));
        // A wildcard: the kind of route `..` segments would otherwise reach (find-my-way does not
        // resolve them).
        app.get('/files/*', async (request) => v1Ok({ file: (request.params as { '*': string })['*'] }));
        app.post(
          '/echo',
          {
            schema: {
              body: {
                type: 'object',
                required: ['name'],
                additionalProperties: false,
                properties: { name: { type: 'string', maxLength: 10 } },
              },
              response: { 200: { type: 'object', properties: { code: {}, message: {}, data: anyData } } },
            },
          },
          async (request) => v1Ok(request.body),
        );
        app.get('/forbidden', async () => v1Error(40300, 'not for you'));
        app.get('/boom', async () => {
          throw new Error('database password is hunter2');
        });
      },
    },
  });
  return app;
}

export async function listen(app: FastifyInstance): Promise<{ url: string; port: number }> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('not listening on a port');
  return { url: `http://127.0.0.1:${address.port}`, port: address.port };
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  json: unknown;
}

/**
 * One HTTP/1.1 request over a plain socket, the request target sent byte for byte (fetch and
 * http.request normalize or reject some of the paths these tests need). Header lines are sent as
 * given, so a header may be repeated.
 */
export function rawRequest(
  port: number,
  target: string,
  headerLines: readonly (readonly [string, string])[] = [],
  method = 'GET',
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.setTimeout(10_000, () => socket.destroy(new Error(`no answer for ${target}`)));
    socket.on('connect', () => {
      const lines = [`${method} ${target} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close'];
      for (const [name, value] of headerLines) lines.push(`${name}: ${value}`);
      socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    });
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const split = text.indexOf('\r\n\r\n');
      const [statusLine = '', ...headerText] = text.slice(0, split).split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of headerText) {
        const colon = line.indexOf(':');
        headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
      }
      const body = text.slice(split + 4);
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        json = undefined;
      }
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body, json });
    });
  });
}

/** Header lines of signed seed-001 headers, for rawRequest. */
export const headerLines = (headers: Record<string, string>) => Object.entries(headers) as [string, string][];
