import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { ReplayStore } from '@signet/auth';
import { decoratePrincipal } from '../route-groups/principal.js';
import { authenticateTem, type TemResolvedKey } from './authenticate.js';
import { checkTemAuthOptions } from './options.js';
import { captureRawBody, parseSignedBody } from './signed-body.js';

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
 * route of the context it is registered in. The signature covers the raw body, so the body is only
 * read as bytes, the check runs once it is read (preValidation), and only a signed request has its
 * body checked (JSON, UTF-8, covered by the signature) and parsed, before the body schema and the
 * handler: an unsigned request is 401 whatever its body.
 * Sets `request.principal = {kind: 'access-key', accessKey, algorithm, subject, scopes}`.
 */
export const temAuth = fp<TemAuthOptions>(
  async (app: FastifyInstance, raw) => {
    const options = checkTemAuthOptions(raw);
    decoratePrincipal(app);
    // The raw body is what is verified: this context's only parser keeps the bytes, unparsed.
    captureRawBody(app);
    app.addHook('preValidation', async (request) => {
      const { principal, key, unsignedBody } = await authenticateTem(request, options);
      request.principal = principal;
      await options.onAuthenticated?.(request, key);
      // An unknown route (signed) is 404 whatever its body: nothing will read it.
      if (!request.is404) parseSignedBody(request, unsignedBody);
    });
  },
  { name: 'signet-tem-auth', fastify: '5.x' },
);
