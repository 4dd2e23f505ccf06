/** A node's Worker API address as the node reported it, with the paths of its routes. */
export interface WorkerAddress {
  /** `host:port`, the only part of the address that errors name. */
  readonly authority: string;
  endpoint(path: string): URL;
}

const DEFAULT_PORTS: Record<string, string> = { 'http:': '80', 'https:': '443' };

/** Parses `baseUrl` (`http://10.0.0.5:9090`, perhaps with a path prefix or a trailing slash). */
export function workerAddress(baseUrl: string): WorkerAddress {
  let base: URL;
  try {
    base = new URL(baseUrl);
  } catch {
    throw new TypeError('baseUrl: must be an absolute http(s) URL');
  }
  const defaultPort = DEFAULT_PORTS[base.protocol];
  if (defaultPort === undefined) throw new TypeError('baseUrl: must be an http(s) URL');
  if (base.username !== '' || base.password !== '')
    throw new TypeError('baseUrl: must not carry credentials');
  // The prefix is a directory: `api/restart` resolves under it, never beside its last segment.
  const prefix = new URL(base.href);
  prefix.search = '';
  prefix.hash = '';
  if (!prefix.pathname.endsWith('/')) prefix.pathname += '/';
  return {
    authority: `${base.hostname}:${base.port || defaultPort}`,
    endpoint: (path) => new URL(path.replace(/^\/+/, ''), prefix),
  };
}
