import { CoreConfigInvalidError } from './errors.js';

/**
 * What the worker changes in, and reads from, the core config the master sends: its own API inbound
 * (loopback only, always), the stats switches the traffic ledger needs, and the VLESS users, whose
 * changes are applied through the API instead of a restart.
 */

type JsonObject = Record<string, unknown>;

/** The tag of the worker's API inbound, of the `api` section and of its routing rule. */
export const API_TAG = 'api';
const API_SERVICES = ['HandlerService', 'StatsService'];
const MAX_CONFIG_BYTES = 8 * 1024 * 1024;

/** Parses a core config: a JSON object, at most 8 MiB. */
export function parseCoreConfig(config: string | JsonObject, name = 'config'): JsonObject {
  if (typeof config !== 'string') {
    if (!isObject(config)) throw new CoreConfigInvalidError(`"${name}" must be a JSON object`);
    return JSON.parse(JSON.stringify(config)) as JsonObject;
  }
  if (config.length > MAX_CONFIG_BYTES) throw new CoreConfigInvalidError(`"${name}" is larger than 8 MiB`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(config);
  } catch (error) {
    throw new CoreConfigInvalidError(`"${name}" is not valid JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (!isObject(parsed)) throw new CoreConfigInvalidError(`"${name}" must be a JSON object`);
  return parsed;
}

/**
 * The config with the worker's API: `stats`, `api` (tag `api`, HandlerService and StatsService),
 * per-user and per-inbound counters in `policy`, a dokodemo-door inbound tagged `api` on
 * 127.0.0.1:`port` and the routing rule `inboundTag api → outboundTag api` first. An API inbound,
 * api section or api rule the master sent is replaced, so the API never listens beyond loopback.
 */
const GUARD_TAG = 'signet-guard';
const LOOPBACK = ['127.0.0.0/8', '::1/128'];

export function withApiInbound(
  configJson: string,
  options: { port: number; guardPorts?: readonly number[]; allowLoopbackDestinations?: boolean },
): string {
  const port = options?.port;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new TypeError('withApiInbound: "options.port" must be an integer in 1..65535');
  }
  const config = parseCoreConfig(configJson, 'configJson');
  const oldApi = isObject(config['api']) ? config['api'] : {};
  const apiTags = new Set([API_TAG, ...(typeof oldApi['tag'] === 'string' ? [oldApi['tag']] : [])]);
  const services = Array.isArray(oldApi['services'])
    ? oldApi['services'].filter((s) => typeof s === 'string')
    : [];

  config['stats'] = isObject(config['stats']) ? config['stats'] : {};
  config['api'] = { ...oldApi, tag: API_TAG, services: [...new Set([...API_SERVICES, ...services])] };

  const inbounds = (Array.isArray(config['inbounds']) ? config['inbounds'] : []).filter(
    (inbound) => !(isObject(inbound) && typeof inbound['tag'] === 'string' && apiTags.has(inbound['tag'])),
  );
  config['inbounds'] = [
    {
      tag: API_TAG,
      listen: '127.0.0.1',
      port,
      protocol: 'dokodemo-door',
      settings: { address: '127.0.0.1' },
    },
    ...inbounds,
  ];

  const routing = isObject(config['routing']) ? config['routing'] : {};
  const rules = (Array.isArray(routing['rules']) ? routing['rules'] : []).filter((rule) => {
    if (!isObject(rule)) return true;
    const inboundTags = Array.isArray(rule['inboundTag']) ? rule['inboundTag'] : [rule['inboundTag']];
    return !(
      apiTags.has(rule['outboundTag'] as string) ||
      rule['outboundTag'] === GUARD_TAG ||
      inboundTags.some((tag) => apiTags.has(tag as string))
    );
  });
  // Users' traffic must never reach this machine's own services through the tunnel: the core's API
  // (no authentication) and the Worker API. Loopback as a whole is refused too, unless allowed.
  const userInbounds = inbounds
    .filter(isObject)
    .map((inbound) => inbound['tag'])
    .filter((tag): tag is string => typeof tag === 'string');
  // One rule per port: V2Ray 4.34 does not read a comma-separated port list.
  const guard = [
    ...[port, ...(options.guardPorts ?? [])].map((guarded) => ({
      type: 'field',
      ip: LOOPBACK,
      port: guarded,
      outboundTag: GUARD_TAG,
    })),
    ...(options.allowLoopbackDestinations ? [] : [{ type: 'field', ip: LOOPBACK, outboundTag: GUARD_TAG }]),
  ].map((rule) => (userInbounds.length > 0 ? { ...rule, inboundTag: userInbounds } : rule));
  config['routing'] = {
    ...routing,
    rules: [{ type: 'field', inboundTag: [API_TAG], outboundTag: API_TAG }, ...guard, ...rules],
  };
  const outbounds = Array.isArray(config['outbounds']) ? config['outbounds'] : [];
  config['outbounds'] = [
    ...outbounds.filter((outbound) => !(isObject(outbound) && outbound['tag'] === GUARD_TAG)),
    { protocol: 'blackhole', tag: GUARD_TAG },
  ];

  const policy = isObject(config['policy']) ? config['policy'] : {};
  const levels = isObject(policy['levels']) ? policy['levels'] : {};
  for (const level of ['0', ...userLevels(inbounds).map(String), ...Object.keys(levels)]) {
    const current = isObject(levels[level]) ? levels[level] : {};
    levels[level] = { ...current, statsUserUplink: true, statsUserDownlink: true };
  }
  const system = isObject(policy['system']) ? policy['system'] : {};
  config['policy'] = {
    ...policy,
    levels,
    system: { ...system, statsInboundUplink: true, statsInboundDownlink: true },
  };
  return JSON.stringify(config, null, 2);
}

/** Where the config's API answers: the inbound tagged like its `api` section; null without an API. */
export function apiEndpointOf(config: string | JsonObject): { host: string; port: number } | null {
  const parsed = parseCoreConfig(config);
  const api = parsed['api'];
  if (!isObject(api) || typeof api['tag'] !== 'string') return null;
  const inbound = (Array.isArray(parsed['inbounds']) ? parsed['inbounds'] : []).find(
    (item): item is JsonObject => isObject(item) && item['tag'] === api['tag'],
  );
  if (!inbound) return null;
  const port = Number(inbound['port']);
  if (!Number.isInteger(port) || port < 1 || port > 65535) return null;
  const listen = typeof inbound['listen'] === 'string' ? inbound['listen'] : '';
  const host = listen === '' || listen === '0.0.0.0' ? '127.0.0.1' : listen === '::' ? '::1' : listen;
  return { host, port };
}

export interface VlessUserChange {
  readonly tag: string;
  readonly email: string;
  readonly id: string;
  readonly level?: number;
  readonly flow?: string;
}

export interface VlessClientsDiff {
  /**
   * True when the configs differ only in VLESS clients the API can address (the inbound has a unique
   * tag; the client an email unique in that inbound, an id, and only id/email/level/flow keys): the
   * change can then be applied with AlterInbound, without a restart. Also true for two equal configs
   * (nothing to do).
   */
  readonly onlyUsersChanged: boolean;
  /** Users to add, after `removed`; a client whose id, level or flow changed is in both lists. */
  readonly added: VlessUserChange[];
  readonly removed: { readonly tag: string; readonly email: string }[];
}

/** The VLESS user changes from `oldConfig` to `newConfig`. */
export function vlessClientsDiff(
  oldConfig: string | JsonObject,
  newConfig: string | JsonObject,
): VlessClientsDiff {
  const before = splitClients(parseCoreConfig(oldConfig, 'oldConfig'));
  const after = splitClients(parseCoreConfig(newConfig, 'newConfig'));
  const added: VlessUserChange[] = [];
  const removed: { tag: string; email: string }[] = [];
  for (const tag of new Set([...before.clients.keys(), ...after.clients.keys()])) {
    const old = before.clients.get(tag) ?? new Map<string, VlessUserChange>();
    const now = after.clients.get(tag) ?? new Map<string, VlessUserChange>();
    for (const [email, client] of old) {
      const next = now.get(email);
      if (!next || stableStringify(next) !== stableStringify(client)) removed.push({ tag, email });
    }
    for (const [email, client] of now) {
      const prev = old.get(email);
      if (!prev || stableStringify(prev) !== stableStringify(client)) added.push(client);
    }
  }
  return { onlyUsersChanged: stableStringify(before.rest) === stableStringify(after.rest), added, removed };
}

interface SplitConfig {
  /** The config without the VLESS clients the API can address (the others stay: changing them restarts). */
  readonly rest: JsonObject;
  /** tag → email → client, for the addressable clients of VLESS inbounds. */
  readonly clients: Map<string, Map<string, VlessUserChange>>;
}

function splitClients(config: JsonObject): SplitConfig {
  const clients = new Map<string, Map<string, VlessUserChange>>();
  const inbounds = Array.isArray(config['inbounds']) ? config['inbounds'] : [];
  const tags = inbounds.map((inbound) => (isObject(inbound) ? inbound['tag'] : undefined));
  inbounds.forEach((inbound, index) => {
    if (!isObject(inbound) || inbound['protocol'] !== 'vless' || !isObject(inbound['settings'])) return;
    const list = inbound['settings']['clients'];
    const tag = inbound['tag'];
    // The API addresses an inbound by its tag and a user by its email: both must be unique.
    if (!Array.isArray(list) || typeof tag !== 'string' || tag === '' || tags.indexOf(tag) !== index) return;
    const emails = list.map((client) => (isObject(client) ? client['email'] : undefined));
    const byEmail = new Map<string, VlessUserChange>();
    inbound['settings']['clients'] = list.filter((client, i) => {
      const email = emails[i];
      if (typeof email !== 'string' || emails.indexOf(email) !== emails.lastIndexOf(email)) return true;
      const change = toChange(tag, email, client);
      if (change === null) return true;
      byEmail.set(email, change);
      return false;
    });
    clients.set(tag, byEmail);
  });
  return { rest: config, clients };
}

const CLIENT_KEYS = new Set(['id', 'email', 'level', 'flow']);

function toChange(tag: string, email: string, client: unknown): VlessUserChange | null {
  if (!isObject(client) || email === '' || Object.keys(client).some((key) => !CLIENT_KEYS.has(key)))
    return null;
  const { id, level, flow } = client;
  if (typeof id !== 'string' || id === '') return null;
  if (level !== undefined && (!Number.isInteger(level) || (level as number) < 0)) return null;
  if (flow !== undefined && typeof flow !== 'string') return null;
  return {
    tag,
    email,
    id,
    ...(level === undefined ? {} : { level: level as number }),
    ...(flow === undefined || flow === '' ? {} : { flow }),
  };
}

function userLevels(inbounds: unknown[]): number[] {
  const levels = new Set<number>();
  for (const inbound of inbounds) {
    if (!isObject(inbound) || !isObject(inbound['settings'])) continue;
    const list = inbound['settings']['clients'];
    for (const client of Array.isArray(list) ? list : []) {
      if (isObject(client) && Number.isInteger(client['level'])) levels.add(client['level'] as number);
    }
  }
  return [...levels];
}

function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (isObject(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${stableStringify(value[key])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
