import type { FastifyInstance } from 'fastify';
import type { Keyring, ReplayStore } from '@signet/auth';
import {
  registerOpenApi,
  registerRouteGroups,
  TEM_FAILURE_SCHEMA,
  temOk,
  temResponseSchema,
  v1Ok,
  v1ResponseSchema,
} from '@signet/server';
import { recordAccessKeyUse, resolveAccessKey } from '../store/index.js';
import { auditOperations } from './audit-hook.js';
import { limitCalls } from './call-limit.js';
import { RefusalBudget } from './refusal-budget.js';
import { scopesOf } from './caller.js';
import { loginRoutes } from './login.js';
import { type Envelope, type Family, mountOperations } from './mount.js';
import { openApiDocument } from './openapi-document.js';
import type { ApiDeps } from './operation.js';
import type { TokenKeyring } from './token-keyring.js';
import { serviceVerifier, webVerifier } from './tokens.js';

export interface ApiFamiliesOptions {
  readonly deps: ApiDeps;
  readonly replay: ReplayStore;
  readonly maxAgeSeconds: number;
  /** The pre-shared key(s) of `/v1/internal`, newest first. */
  readonly internalKeys: Keyring;
  /** The JWT signing keys, read again as they change in the store. */
  readonly tokenKeys: TokenKeyring;
  readonly issuer: string;
  readonly sessionSeconds: number;
  readonly loginAttemptsPerMinute: number;
  /** Calls per minute per authenticated caller and family. */
  readonly callsPerMinute: number;
}

export const OPENAPI_PREFIX = '/api/v1';
const V1_ENVELOPE: Envelope = { ok: v1Ok, schema: v1ResponseSchema };
const TEM_ENVELOPE: Envelope = { ok: temOk, schema: temResponseSchema };

/**
 * Every API family of the master, serving the one operation table: seed 001's `/v1` groups
 * (internal signature, web and service JWTs, public login) and seed 003's AK/SK OpenAPI at
 * `/api/v1`, with its document and the JWKS beside them, open.
 */
export async function registerApiFamilies(app: FastifyInstance, options: ApiFamiliesOptions): Promise<void> {
  const { deps } = options;
  const { db, fernet } = deps;
  const refusals = new RefusalBudget();
  const serve = (family: Family, envelope: Envelope) => async (scope: FastifyInstance) => {
    await limitCalls(scope, family, options.callsPerMinute);
    auditOperations(scope, family, db, refusals);
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
        const found = await resolveAccessKey(db, fernet, accessKey).catch((cause: unknown) => {
          // The server's fault (a stored SK the ENCRYPTION_KEY cannot open), never the caller's:
          // a logged 500, not a 401 that would look like a wrong signature.
          throw new Error("an access key's secret cannot be decrypted with ENCRYPTION_KEY", { cause });
        });
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
    },
    routes: async (scope) => {
      await serve('openapi', TEM_ENVELOPE)(scope);
      // Last use counts what a key was accepted for, not what it was refused (a read-only key writing).
      scope.addHook('onSend', async (request, reply, payload) => {
        if (request.principal?.kind === 'access-key' && reply.statusCode < 400) {
          await recordAccessKeyUse(db, request.principal.accessKey).catch((error: Error) =>
            request.log.warn({ err: { type: error.name } }, 'the key use could not be recorded'),
          );
        }
        return payload;
      });
    },
  });

  const document = openApiDocument(OPENAPI_PREFIX, TEM_ENVELOPE, TEM_FAILURE_SCHEMA, options.maxAgeSeconds);
  await app.register(async (open) => {
    open.get(`${OPENAPI_PREFIX}/openapi.json`, async () => document);
    open.get('/.well-known/jwks.json', async () => options.tokenKeys.current().jwks);
  });
}
