import type { FastifyInstance } from 'fastify';
import type { Keyring, ReplayStore } from '@signet/auth';
import {
  registerOpenApi,
  registerRouteGroups,
  temOk,
  temResponseSchema,
  v1Ok,
  v1ResponseSchema,
} from '@signet/server';
import { recordAccessKeyUse, resolveAccessKey } from '../store/index.js';
import { auditOperations } from './audit-hook.js';
import { scopesOf } from './caller.js';
import { loginRoutes } from './login.js';
import { type Envelope, type Family, mountOperations } from './mount.js';
import { openApiDocument } from './openapi-document.js';
import type { ApiDeps } from './operation.js';
import { serviceVerifier, type TokenKeys, webVerifier } from './tokens.js';

export interface ApiFamiliesOptions {
  readonly deps: ApiDeps;
  readonly replay: ReplayStore;
  readonly maxAgeSeconds: number;
  /** The pre-shared key(s) of `/v1/internal`, newest first. */
  readonly internalKeys: Keyring;
  readonly tokenKeys: TokenKeys;
  readonly issuer: string;
  readonly sessionSeconds: number;
  readonly loginAttemptsPerMinute: number;
}

export const OPENAPI_PREFIX = '/api/v1';
const V1_ENVELOPE: Envelope = { ok: v1Ok, schema: v1ResponseSchema };
const TEM_ENVELOPE: Envelope = { ok: temOk, schema: temResponseSchema };
const TEM_FAILURE_SCHEMA = {
  type: 'object',
  required: ['Data', 'Success', 'Code', 'Message'],
  properties: {
    Data: { type: 'null' },
    Success: { const: false },
    Code: { type: 'integer' },
    Message: { type: 'string' },
  },
};

/**
 * Every API family of the master, serving the one operation table: seed 001's `/v1` groups
 * (internal signature, web and service JWTs, public login) and seed 003's AK/SK OpenAPI at
 * `/api/v1`, with its document and the JWKS beside them, open.
 */
export async function registerApiFamilies(app: FastifyInstance, options: ApiFamiliesOptions): Promise<void> {
  const { deps } = options;
  const { db, fernet } = deps;
  const serve = (family: Family, envelope: Envelope) => (scope: FastifyInstance) => {
    auditOperations(scope, family, db);
    mountOperations(scope, family, envelope, deps);
  };

  await registerRouteGroups(app, {
    internal: { secret: options.internalKeys, replay: options.replay, maxAgeSeconds: options.maxAgeSeconds },
    web: { verifier: webVerifier(db, options.tokenKeys, options.issuer) },
    service: { verifier: serviceVerifier(db, options.tokenKeys, options.issuer) },
    routes: {
      internal: serve('internal', V1_ENVELOPE),
      web: serve('web', V1_ENVELOPE),
      service: serve('service', V1_ENVELOPE),
      public: (scope) =>
        loginRoutes(scope, {
          db,
          keys: options.tokenKeys,
          issuer: options.issuer,
          sessionSeconds: options.sessionSeconds,
          attemptsPerMinute: options.loginAttemptsPerMinute,
        }),
    },
  });

  await registerOpenApi(app, {
    prefix: OPENAPI_PREFIX,
    auth: {
      replay: options.replay,
      maxAgeSeconds: options.maxAgeSeconds,
      allowLevel0: deps.allowLevel0Keys,
      resolveKey: async (accessKey) => {
        const found = await resolveAccessKey(db, fernet, accessKey);
        if (found === undefined) return undefined;
        const { record, secretKey } = found;
        return {
          secretKey,
          algorithm: record.algorithm,
          enabled: record.enabled,
          subject: record.owner,
          scopes: scopesOf(record.scope),
        };
      },
      onAuthenticated: (request) => {
        if (request.principal?.kind === 'access-key')
          return recordAccessKeyUse(db, request.principal.accessKey);
      },
    },
    routes: serve('openapi', TEM_ENVELOPE),
  });

  const document = openApiDocument(OPENAPI_PREFIX, TEM_ENVELOPE, TEM_FAILURE_SCHEMA);
  await app.register(async (open) => {
    open.get(`${OPENAPI_PREFIX}/openapi.json`, async () => document);
    open.get('/.well-known/jwks.json', async () => options.tokenKeys.jwks);
  });
}
