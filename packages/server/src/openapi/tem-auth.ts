import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { ReplayStore } from '@signet/auth';
import { rawJsonBody } from '../fastify/raw-json-body.js';
import { decoratePrincipal } from '../route-groups/principal.js';
import { authenticateTem, type TemResolvedKey } from './authenticate.js';
import { checkTemAuthOptions } from './options.js';

export interface TemAuthOptions {
  /** Looks up an access key (secret, algorithm, enabled, owner, scopes); undefined when unknown. */
  readonly resolveKey: (accessKey: string) => Promise<TemResolvedKey | undefined>;
  /** L0 keys send the secret itself and never expire: refused unless the operator enables them. */
  readonly allowLevel0?: boolean;
  /** Where accepted L3 POST/PUT/PATCH/DELETE requests are claimed, so an exact copy is refused. */
  readonly replay: ReplayStore;
  /** The L3 timestamp window on either side of now; default 300 s. */
  readonly maxAgeSeconds?: number;
  /** Called once a request is authenticated (the master records the key's last use there). */
  readonly onAuthenticated?: (request: FastifyRequest, key: TemResolvedKey) => void | Promise<void>;
}

/**
 * Requires seed 003's `Authorization: Bearer TEM-AUTH:{ak}:{signature}[:{unixtime}]` on every
 * route of the context it is registered in. The signature covers the raw body, so the check runs
 * once the body is read (preValidation) and before the body schema or the handler.
 * Sets `request.principal = {kind: 'access-key', accessKey, algorithm, subject, scopes}`.
 */
export const temAuth = fp<TemAuthOptions>(
  async (app: FastifyInstance, raw) => {
    const options = checkTemAuthOptions(raw);
    decoratePrincipal(app);
    // The raw body is what is verified; an ancestor may already have made it the only parser.
    if (!app.hasRequestDecorator('rawBody')) await app.register(rawJsonBody);
    app.addHook('preValidation', async (request) => {
      const { principal, key } = await authenticateTem(request, options);
      request.principal = principal;
      await options.onAuthenticated?.(request, key);
    });
  },
  { name: 'signet-tem-auth', fastify: '5.x' },
);
