import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { type Keyring, type ReplayStore, verifyInternal } from '@signet/auth';
import { refuse } from './auth-failure.js';
import { checkKeyring, checkMaxAge, checkReplayStore } from './options.js';
import { decoratePrincipal } from './principal.js';

export interface InternalAuthOptions {
  /** The pre-shared key, or several (newest first) while callers move to a new one. */
  readonly secret: Keyring;
  /** Where nonces are claimed: MemoryReplayStore for one process, RedisReplayStore for several. */
  readonly replay: ReplayStore;
  /** The timestamp window on either side of now; default 300 s (seed 001). */
  readonly maxAgeSeconds?: number;
}

/**
 * Requires seed 001's internal signature on every route of the context it is registered in:
 * X-Signature = hex HMAC-SHA256(key, `nonce=<X-Nonce>&timestamp=<X-Timestamp>`), X-Timestamp in
 * unix seconds within the window, X-Nonce used once. Checked on request, before the body is read.
 * Every failure is the same 401 envelope; sets `request.principal = {kind: 'internal', keyIndex}`.
 */
export const internalAuth = fp<InternalAuthOptions>(
  async (app: FastifyInstance, options) => {
    const secret = checkKeyring(options.secret, 'internalAuth: secret');
    const replay = checkReplayStore(options.replay, 'internalAuth: replay');
    const maxAgeSeconds = checkMaxAge(options.maxAgeSeconds, 'internalAuth: maxAgeSeconds');
    const verifyOptions = { secret, replay, ...(maxAgeSeconds === undefined ? {} : { maxAgeSeconds }) };
    decoratePrincipal(app);
    app.addHook('onRequest', async (request) => {
      try {
        const { keyIndex } = await verifyInternal(request.headers, verifyOptions);
        request.principal = { kind: 'internal', keyIndex };
      } catch (error) {
        refuse(request, 'internal', error);
      }
    });
  },
  { name: 'signet-internal-auth', fastify: '5.x' },
);
