import { checkMaxAge, checkReplayStore, RouteGroupOptionsError } from '../route-groups/options.js';
import type { TemAuthOptions } from './tem-auth.js';

const optionalFunction = (value: unknown, name: string): void => {
  if (value !== undefined && typeof value !== 'function') {
    throw new RouteGroupOptionsError(`${name}: expected a function`);
  }
};

/** temAuth's options checked at registration, copied so later changes by the caller do not apply. */
export function checkTemAuthOptions(options: TemAuthOptions | undefined): TemAuthOptions {
  if (typeof options?.resolveKey !== 'function') {
    throw new RouteGroupOptionsError('temAuth: resolveKey must look up an access key');
  }
  if (options.allowLevel0 !== undefined && typeof options.allowLevel0 !== 'boolean') {
    throw new RouteGroupOptionsError('temAuth: allowLevel0 must be true or false');
  }
  optionalFunction(options.onAuthenticated, 'temAuth: onAuthenticated');
  const replay = checkReplayStore(options.replay, 'temAuth: replay');
  const maxAgeSeconds = checkMaxAge(options.maxAgeSeconds, 'temAuth: maxAgeSeconds');
  return {
    resolveKey: options.resolveKey,
    replay,
    allowLevel0: options.allowLevel0 === true,
    ...(maxAgeSeconds === undefined ? {} : { maxAgeSeconds }),
    ...(options.onAuthenticated === undefined ? {} : { onAuthenticated: options.onAuthenticated }),
  };
}
