// A master with its API families on a fresh store (SQLite, or PostgreSQL in a schema of its own),
// listening on 127.0.0.1, and the clients the API tests use: every request goes over a real socket.
import { connect } from 'node:net';
import {
  Fernet,
  generateFernetKey,
  MemoryReplayStore,
  type ReplayStore,
  signInternal,
  signJwt,
  signTem,
} from '@signet/auth';
import {
  createAccessKey,
  createAdmin,
  createMaster,
  getAdmin,
  loadJwtKeys,
  type Master,
  upsertService,
} from '../../src/index.js';
import { createStoreLocation, type StoreKind, type StoreLocation } from './store.js';

export const INTERNAL_KEY = 'my-secret-key';
export const ADMIN = { name: 'alice', password: 'correct horse battery' };
export const ISSUER = 'signet-master';
export const AUDIENCE = { web: 'signet-web', service: 'signet-service' } as const;

/** The failure envelopes, exactly. */
export const v1Fail = (code: number, message: string) => ({ code, message, data: null });
export const temFail = (code: number, message: string) => ({
  Data: null,
  Success: false,
  Code: code,
  Message: message,
});
export const V1_UNAUTHORIZED = v1Fail(40100, 'unauthorized');
export const TEM_UNAUTHORIZED = temFail(40100, 'unauthorized');
export const READ_ONLY_MESSAGE =
  'this key or token is read-only: changing state or reading credentials needs a read-write one';

export interface ApiMaster {
  readonly master: Master;
  readonly url: string;
  readonly port: number;
  readonly location: StoreLocation;
  readonly encryptionKey: string;
  readonly fernet: Fernet;
  close(): Promise<void>;
}

export interface ApiMasterOptions {
  replay?: ReplayStore;
  allowLevel0Keys?: boolean;
  encryptionKey?: string;
  location?: StoreLocation;
  logLines?: string[];
  loginAttemptsPerMinute?: number;
  callsPerMinute?: number;
  signerUrl?: string;
  signerSecret?: string;
  /** Heartbeats per node per minute (default: the master's 3). */
  heartbeatLimit?: number;
}

export async function startApiMaster(kind: StoreKind, options: ApiMasterOptions = {}): Promise<ApiMaster> {
  const location = options.location ?? (await createStoreLocation(kind));
  const encryptionKey = options.encryptionKey ?? generateFernetKey();
  const master = await createMaster({
    dataDir: location.options.dataDir,
    databaseUrl: location.options.databaseUrl,
    ...(location.options.schema ? { databaseSchema: location.options.schema } : {}),
    encryptionKeys: [encryptionKey],
    replay: options.replay ?? new MemoryReplayStore(),
    internalKeys: INTERNAL_KEY,
    allowLevel0Keys: options.allowLevel0Keys ?? false,
    ...(options.loginAttemptsPerMinute === undefined
      ? {}
      : { loginAttemptsPerMinute: options.loginAttemptsPerMinute }),
    ...(options.callsPerMinute === undefined ? {} : { callsPerMinute: options.callsPerMinute }),
    signerUrl: options.signerUrl,
    signerSecret: options.signerSecret,
    ...(options.heartbeatLimit === undefined ? {} : { limits: { heartbeat: options.heartbeatLimit } }),
    logLevel: options.logLines ? 'info' : 'silent',
    ...(options.logLines
      ? { logStream: { write: (line: string) => void options.logLines!.push(line) } }
      : {}),
  });
  await master.app.listen({ host: '127.0.0.1', port: 0 });
  const address = master.app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    master,
    url: `http://127.0.0.1:${port}`,
    port,
    location,
    encryptionKey,
    fernet: new Fernet(encryptionKey),
    close: async () => {
      await master.close();
      if (!options.location) await location.dispose();
    },
  };
}

export interface Response {
  readonly status: number;
  readonly json: any;
  readonly text: string;
  readonly authorization: string;
}

/** POST /v1/public/auth/login. */
export function login(api: ApiMaster, name: string, password: string): Promise<Response> {
  return send(api, 'POST', '/v1/public/auth/login', {}, JSON.stringify({ name, password }));
}

/** An admin (created unless `create` is false) and a web token for it. */
export async function loginAdmin(
  api: ApiMaster,
  admin: { name: string; password: string } = ADMIN,
  options: { create?: boolean } = {},
): Promise<string> {
  if (options.create !== false) await createAdmin(api.master.db, admin.name, admin.password);
  const response = await login(api, admin.name, admin.password);
  if (response.status !== 200) throw new Error(`login of ${admin.name} failed: ${response.text}`);
  return (response.json as { data: { token: string } }).data.token;
}

export interface Key {
  readonly accessKey: string;
  readonly secretKey: string;
  readonly algorithm: string;
}

/** A new access key in the master's store (the operator's, or an admin's). */
export async function newKey(
  api: ApiMaster,
  algorithm = 'L3.SHA256',
  scope: 'read-only' | 'read-write' = 'read-write',
  ownerAdmin?: string,
): Promise<Key> {
  const ownerAdminId = ownerAdmin === undefined ? null : (await getAdmin(api.master.db, ownerAdmin))!.id;
  const { record, secretKey } = await createAccessKey(api.master.db, api.fernet, {
    algorithm,
    scope,
    ownerAdminId,
  });
  return { accessKey: record.accessKey, secretKey, algorithm };
}

export interface TemOptions {
  /** Default: the key's algorithm. */
  algorithm?: string;
  timestamp?: string;
  /** Sign this target instead of the one sent. */
  signedPath?: string;
  /** Sign this body instead of the one sent. */
  signedBody?: string;
}

/** A TEM-AUTH Authorization header value. */
export function temAuthorization(
  key: Key,
  method: string,
  path: string,
  body?: string,
  options: TemOptions = {},
) {
  return signTem({
    accessKey: key.accessKey,
    secretKey: key.secretKey,
    algorithm: options.algorithm ?? key.algorithm,
    method,
    url: options.signedPath ?? path,
    ...((options.signedBody ?? body) === undefined ? {} : { body: (options.signedBody ?? body)! }),
    ...(options.timestamp ? { timestamp: options.timestamp } : {}),
  }).headers.Authorization;
}

/** Sends a TEM-AUTH signed request; `body` is sent exactly as given. */
export function temRequest(
  api: ApiMaster,
  key: Key,
  method: string,
  path: string,
  body?: string,
  options: TemOptions = {},
): Promise<Response> {
  return send(api, method, path, { authorization: temAuthorization(key, method, path, body, options) }, body);
}

/** Unix seconds, as text, `offset` seconds from now. */
export const unixTime = (offset = 0): string => String(Math.floor(Date.now() / 1000) + offset);

/** Seed 001's headers. */
export function internalHeaders(options: { timestamp?: string; nonce?: string; secret?: string } = {}) {
  const { headers } = signInternal({
    secret: options.secret ?? INTERNAL_KEY,
    ...(options.timestamp ? { timestamp: options.timestamp } : {}),
    ...(options.nonce ? { nonce: options.nonce } : {}),
  });
  return { ...headers } as Record<string, string>;
}

/** Sends a request with seed 001's internal signature. */
export function internalRequest(api: ApiMaster, method: string, path: string, body?: string) {
  return send(api, method, path, internalHeaders(), body);
}

/** Sends a request with a bearer JWT. */
export function bearerRequest(api: ApiMaster, token: string, method: string, path: string, body?: string) {
  return send(api, method, path, { authorization: `Bearer ${token}` }, body);
}

export interface TokenOptions {
  audience?: string;
  subject?: string;
  issuer?: string;
  claims?: Record<string, unknown>;
  expiresInSeconds?: number;
  /** The issuing clock, in ms. */
  now?: number;
}

/** A JWT signed with the master's own signing key (from the store), as the CLI issues them. */
export async function masterJwt(
  api: ApiMaster,
  options: TokenOptions & { subject: string; audience: string },
) {
  const keys = await loadJwtKeys(api.master.db, api.fernet);
  return signJwt(options.claims ?? {}, {
    privateKey: keys.privateKey,
    kid: keys.kid,
    issuer: options.issuer ?? ISSUER,
    audience: options.audience,
    subject: options.subject,
    ...(options.expiresInSeconds === undefined ? {} : { expiresInSeconds: options.expiresInSeconds }),
    ...(options.now === undefined ? {} : { now: () => options.now! }),
  });
}

/**
 * A named service (created or re-scoped) and a service token for it. The service is created
 * `createdAgoMs` in the past (default 10 s) so that a token issued now is not from the very second
 * of its creation (see api.service-group.test.ts, which tests that case on its own).
 */
export async function serviceToken(
  api: ApiMaster,
  name: string,
  scope: 'read-only' | 'read-write',
  options: TokenOptions & { createdAgoMs?: number } = {},
): Promise<string> {
  await upsertService(api.master.db, name, scope, {
    now: new Date(Date.now() - (options.createdAgoMs ?? 10_000)),
  });
  return masterJwt(api, {
    ...options,
    subject: options.subject ?? name,
    audience: options.audience ?? AUDIENCE.service,
    claims: options.claims ?? { scope: scope === 'read-write' ? 'read write' : 'read' },
  });
}

export async function send(
  api: ApiMaster,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<Response> {
  const response = await fetch(`${api.url}${path}`, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body }),
  });
  const text = await response.text();
  return {
    status: response.status,
    json: parseJson(text),
    text,
    authorization: headers['authorization'] ?? '',
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * Sends the request target exactly as given (fetch and URL would normalize `..`, `%2e` and `\`),
 * over a plain socket.
 */
export function rawRequest(
  api: ApiMaster,
  method: string,
  target: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<Response> {
  return new Promise((resolve, reject) => {
    const socket = connect(api.port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.setTimeout(10_000, () => socket.destroy(new Error(`no answer for ${target}`)));
    socket.on('connect', () => {
      const lines = [`${method} ${target} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close'];
      for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
      if (body !== undefined) {
        lines.push('Content-Type: application/json', `Content-Length: ${Buffer.byteLength(body)}`);
      }
      socket.write(`${lines.join('\r\n')}\r\n\r\n${body ?? ''}`);
    });
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const split = text.indexOf('\r\n\r\n');
      const statusLine = text.slice(0, text.indexOf('\r\n'));
      let payload = text.slice(split + 4);
      if (/\r\ntransfer-encoding: *chunked/i.test(text.slice(0, split))) payload = unchunk(payload);
      resolve({
        status: Number(statusLine.split(' ')[1]),
        json: parseJson(payload),
        text: payload,
        authorization: headers['authorization'] ?? '',
      });
    });
  });
}

function unchunk(payload: string): string {
  let out = '';
  let rest = payload;
  for (;;) {
    const line = rest.indexOf('\r\n');
    const size = parseInt(rest.slice(0, line), 16);
    if (!(size > 0)) return out;
    out += rest.slice(line + 2, line + 2 + size);
    rest = rest.slice(line + 2 + size + 2);
  }
}

const STATE_TABLES = [
  ['nodes', 'id'],
  ['registration_tokens', 'token_hash'],
  ['proxy_users', 'email'],
  ['traffic_totals', 'user_email'],
  ['admins', 'id'],
  ['access_keys', 'access_key'],
  ['services', 'name'],
  ['jwt_keys', 'kid'],
] as const;

/**
 * Everything the store holds except the audit log (refusals are recorded there), as comparable
 * text. `ignoreUsageOf` leaves out the last-use columns of access keys that authenticated.
 */
export async function storeSnapshot(
  api: ApiMaster,
  options: { ignoreKeyUsage?: boolean } = {},
): Promise<Record<string, string>> {
  const db = api.master.db as any;
  const snapshot: Record<string, string> = {};
  for (const [table, order] of STATE_TABLES) {
    let rows = (await db.selectFrom(table).selectAll().orderBy(order).execute()) as Record<string, unknown>[];
    if (table === 'access_keys' && options.ignoreKeyUsage) {
      rows = rows.map(({ last_used_at: _l, use_count: _u, ...rest }) => rest);
    }
    snapshot[table] = JSON.stringify(rows, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  }
  return snapshot;
}

/** The audit events, newest first, through the store. */
export async function auditRows(api: ApiMaster) {
  const db = api.master.db as any;
  return (await db.selectFrom('audit_events').selectAll().orderBy('id', 'desc').execute()) as {
    id: number;
    actor: string;
    actor_kind: string;
    action: string;
    target: string | null;
    source: string | null;
    result: string;
    status: number | null;
    detail: string | null;
  }[];
}
