import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { type Keyring, type ReplayStore, verifyDataTs } from '@signet/auth';

export interface DataTsAuthOptions {
  /** API_SECRET_KEY, or several accepted in order during rotation. */
  readonly secret: Keyring;
  /** MAX_REQUEST_AGE_SECONDS; default 300. */
  readonly maxAgeSeconds?: number;
  /** Refuses exact replays when given. */
  readonly replay?: ReplayStore;
  /** Requests this returns true for are not checked (health probes). */
  readonly skip?: (request: FastifyRequest) => boolean;
}

/**
 * Requires every request in this context to carry seed 002's data-ts signature: X-Signature = hex
 * HMAC-SHA256(API_SECRET_KEY, raw body + X-Timestamp), X-Timestamp in milliseconds. Failures throw
 * @signet/auth's coded errors for the route's error handler to put in its envelope. Needs
 * rawJsonBody registered first so the exact bytes are verified.
 */
export const dataTsAuth = fp<DataTsAuthOptions>(
  async (app: FastifyInstance, options) => {
    if (options.secret === undefined || (Array.isArray(options.secret) && options.secret.length === 0)) {
      throw new TypeError('dataTsAuth: secret is required');
    }
    // Before schema validation, so an unsigned caller learns nothing about the route's input.
    app.addHook('preValidation', async (request) => {
      if (options.skip?.(request)) return;
      const signature = request.headers['x-signature'];
      const timestamp = request.headers['x-timestamp'];
      await verifyDataTs(
        request.rawBody ?? Buffer.alloc(0),
        typeof signature === 'string' ? signature : undefined,
        typeof timestamp === 'string' ? timestamp : undefined,
        {
          secret: options.secret,
          ...(options.maxAgeSeconds === undefined ? {} : { maxAgeSeconds: options.maxAgeSeconds }),
          ...(options.replay === undefined ? {} : { replay: options.replay }),
        },
      );
    });
  },
  { name: 'signet-data-ts-auth', fastify: '5.x', dependencies: ['signet-raw-json-body'] },
);
