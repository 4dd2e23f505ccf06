import type { FastifyRequest } from 'fastify';
import { TEM_ALGORITHMS, type TemKey, type TemVerified, verifyTem } from '@signet/auth';
import { refuse } from '../route-groups/auth-failure.js';
import { V1Error } from '../route-groups/envelope.js';
import type { Principal } from '../route-groups/principal.js';
import { signedTarget } from './signed-target.js';
import type { TemAuthOptions } from './tem-auth.js';

/** An access key as the store knows it: its secret and algorithm, and whose it is and what it may do. */
export type TemResolvedKey = TemKey & { readonly subject: string; readonly scopes: readonly string[] };

export const L0_DISABLED_MESSAGE =
  'L0 keys are disabled on this server: ask the operator to enable them, or use an L3 algorithm';

const GROUP = 'openapi';

/**
 * Verifies a request's TEM-AUTH header against its method, target and raw body. The L0 policy is
 * applied only after the signature matched, so only a holder of the secret learns why it was
 * refused; every other failure is the generic 401, its code in the log. `unsignedBody`: a body was
 * sent that the signature does not cover (a GET or DELETE with one), for the caller to refuse.
 */
export async function authenticateTem(
  request: FastifyRequest,
  options: TemAuthOptions,
): Promise<{ principal: Principal; key: TemResolvedKey; unsignedBody: boolean }> {
  let key: TemResolvedKey | undefined;
  let verified: TemVerified;
  try {
    verified = await verifyTem(
      {
        authorization: request.headers.authorization,
        method: request.method,
        url: signedTarget(request.url),
        body: request.rawBody?.toString('utf8') ?? '',
      },
      {
        resolveKey: async (accessKey) => (key = await options.resolveKey(accessKey)),
        allowLevel0: true,
        replay: options.replay,
        ...(options.maxAgeSeconds === undefined ? {} : { maxAgeSeconds: options.maxAgeSeconds }),
      },
    );
  } catch (error) {
    refuse(request, GROUP, error);
  }
  if (key === undefined) throw new Error('verifyTem accepted a request without resolving its key');
  if (TEM_ALGORITHMS[verified.algorithm].level === 0 && options.allowLevel0 !== true) {
    request.log.info({ auth: { group: GROUP, code: 'ALGORITHM_NOT_ALLOWED' } }, 'authentication failed');
    throw new V1Error(40100, L0_DISABLED_MESSAGE);
  }
  const principal: Principal = {
    kind: 'access-key',
    accessKey: verified.accessKey,
    algorithm: verified.algorithm,
    subject: key.subject,
    scopes: Object.freeze([...key.scopes]),
  };
  return { principal, key, unsignedBody: verified.unsignedBody };
}
