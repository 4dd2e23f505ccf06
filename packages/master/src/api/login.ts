import type { FastifyInstance } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import type { Kysely } from 'kysely';
import { V1Error, v1Ok, v1ResponseSchema } from '@signet/server';
import { type Database, getAdmin, recordAudit, verifyAdminLogin } from '../store/index.js';
import { auditResult } from './audit-hook.js';
import { object } from './schemas.js';
import type { TokenKeyring } from './token-keyring.js';
import { issueWebToken } from './tokens.js';

export interface LoginOptions {
  readonly db: Kysely<Database>;
  readonly keys: TokenKeyring;
  readonly issuer: string;
  /** Web session lifetime in seconds. */
  readonly sessionSeconds: number;
  /** Attempts per minute per address, on top of the per-account lockout. */
  readonly attemptsPerMinute: number;
}

const INVALID =
  'invalid name or password (5 wrong passwords in a row lock an account for 15 minutes; an operator can run `signet admin unlock NAME`)';

/**
 * `POST /v1/public/auth/login`: an admin's name and password for a web JWT. Wrong passwords count
 * towards the account's lockout (store); an address is also rate limited. Every attempt is audited;
 * the lockout shows there and in `signet admin list`, never to the caller.
 */
export async function loginRoutes(app: FastifyInstance, options: LoginOptions): Promise<void> {
  const { db } = options;
  await app.register(rateLimit, {
    global: false,
    keyGenerator: (request) => `login:${request.ip}`,
    errorResponseBuilder: (_request, context) =>
      new V1Error(42900, `too many login attempts: at most ${context.max} per ${context.after}`),
  });

  app.post(
    '/auth/login',
    {
      config: { rateLimit: { max: options.attemptsPerMinute, timeWindow: 60_000 } },
      schema: {
        body: object({
          name: { type: 'string', minLength: 1, maxLength: 64 },
          password: { type: 'string', minLength: 1, maxLength: 1024 },
        }),
        response: {
          200: v1ResponseSchema(
            object({ token: { type: 'string' }, expiresAt: { type: 'string' }, name: { type: 'string' } }),
          ),
        },
      },
    },
    async (request) => {
      const { name, password } = request.body as { name: string; password: string };
      const outcome = await verifyAdminLogin(db, name, password);
      // A mistyped password often lands in the name field: only a real admin's name is recorded.
      const known = outcome.ok || (await getAdmin(db, name)) !== null;
      const status = outcome.ok ? 200 : 401;
      await recordAudit(db, {
        actorKind: outcome.ok ? 'admin' : 'anonymous',
        actor: known ? name : 'unknown',
        action: 'auth.login',
        source: request.ip,
        result: auditResult(status),
        status,
        detail: outcome.ok ? null : outcome.reason,
      });
      // Locked or not, a refusal reads the same: no caller learns which names exist or are locked.
      if (!outcome.ok) throw new V1Error(40100, INVALID);
      const token = await issueWebToken(
        options.keys.current(),
        options.issuer,
        outcome.admin,
        options.sessionSeconds,
      );
      return v1Ok({
        token,
        expiresAt: new Date(Date.now() + options.sessionSeconds * 1000).toISOString(),
        name: outcome.admin.name,
      });
    },
  );

  app.get(
    '/health',
    { schema: { response: { 200: v1ResponseSchema(object({ status: { type: 'string' } })) } } },
    async () => v1Ok({ status: 'ok' }),
  );
}
