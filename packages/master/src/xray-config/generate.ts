import { createHash } from 'node:crypto';
import { DEFAULT_NODE_SETTINGS, mergeNodeSettings, type NodeSettings } from '../store/settings.js';
import { ConfigInputInvalidError, MaxUsersExceededError } from './errors.js';
import { CORE_FLAVOURS, isCoreFlavour, type CoreFlavour } from './flavours.js';
import { canonicalJson } from './lib/canonical-json.js';

/** What config generation needs of a node (a store `NodeRecord` has it). */
export interface ConfigNode {
  /** The secret path of the HTTP-based transport, without the leading slash. */
  readonly hiddenPath: string;
  /** Node settings; `enable_splithttp` is read as `enable_xhttp`. */
  readonly settings: Partial<NodeSettings> & { readonly enable_splithttp?: boolean };
}

/** What config generation needs of a proxy user (a store `ProxyUser` has it). */
export interface ConfigUser {
  readonly id: string;
  readonly email: string;
  readonly enabled: boolean;
}

export interface GenerateOptions {
  readonly flavour: CoreFlavour;
  /** The loopback port of the core's gRPC API (default 10085; the worker may move it). */
  readonly apiPort?: number;
}

export interface CoreInbound {
  readonly tag: string;
  readonly protocol: string;
  readonly port: number;
  readonly listen?: string;
  readonly settings: Readonly<Record<string, unknown>>;
  readonly streamSettings?: Readonly<Record<string, unknown>>;
}

export interface CoreConfig {
  readonly log: { readonly loglevel: string };
  readonly api: { readonly tag: string; readonly services: readonly string[] };
  readonly stats: Readonly<Record<string, never>>;
  readonly policy: Readonly<Record<string, unknown>>;
  readonly inbounds: readonly CoreInbound[];
  readonly outbounds: readonly {
    readonly tag: string;
    readonly protocol: string;
    readonly settings: object;
  }[];
  readonly routing: { readonly rules: readonly Readonly<Record<string, unknown>>[] };
}

export interface GeneratedConfig {
  /** The config (keys in canonical order), for inspection. */
  readonly config: CoreConfig;
  /** The config as sent to the worker: canonical JSON (sorted keys, compact). */
  readonly configJson: string;
  /** First 16 hex digits of SHA-256 of `configJson`: unchanged config, unchanged version. */
  readonly configVersion: string;
  /** What was left out and why (e.g. Hysteria2 on v2ray). */
  readonly warnings: readonly string[];
}

export const DEFAULT_API_PORT = 10085;
const LOOPBACK = '127.0.0.1';
const HIDDEN_PATH = /^[A-Za-z0-9_-]{1,128}$/;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/**
 * The core config of one node for its enabled users: VLESS over TCP (`vless-tcp`), the HTTP-based
 * transport on the hidden path (`vless-xhttp` on xray, `vless-ws` on v2ray), Hysteria2 on xray, the
 * stats/handler API on loopback only, per-user and per-inbound traffic statistics.
 *
 * @throws {MaxUsersExceededError} when the enabled users exceed the node's `max_users`.
 * @throws {ConfigInputInvalidError} for a bad node, user or option (named in the message).
 */
export function generateCoreConfig(
  node: ConfigNode,
  users: readonly ConfigUser[],
  options: GenerateOptions,
): GeneratedConfig {
  const flavour = checkFlavour(options);
  const settings = checkSettings(node);
  const apiPort = options.apiPort ?? DEFAULT_API_PORT;
  if (!Number.isInteger(apiPort) || apiPort < 1 || apiPort > 65535) {
    throw new ConfigInputInvalidError('options.apiPort: expected a port number (1-65535)');
  }
  const path = `/${checkHiddenPath(node.hiddenPath)}`;
  const clients = checkUsers(users, settings.max_users);
  const warnings: string[] = [];
  const row = CORE_FLAVOURS[flavour];
  const tls =
    settings.tls_cert_file !== null && settings.tls_key_file !== null
      ? { certificates: [{ certificateFile: settings.tls_cert_file, keyFile: settings.tls_key_file }] }
      : undefined;
  // Without TLS `security` is left out (both cores default to none; Xray 1.7.5 refused an explicit "none").
  const security = tls === undefined ? {} : { security: 'tls', tlsSettings: tls };
  const vlessSettings = { clients: clients.map((c) => ({ ...c, level: 0 })), decryption: 'none' };

  const inbounds: CoreInbound[] = [
    {
      tag: 'api',
      listen: LOOPBACK,
      port: apiPort,
      protocol: 'dokodemo-door',
      settings: { address: LOOPBACK },
    },
  ];
  if (settings.enable_vless) {
    inbounds.push({
      tag: 'vless-tcp',
      port: settings.port,
      protocol: 'vless',
      settings: vlessSettings,
      streamSettings: { network: 'tcp', ...security },
    });
  }
  if (settings.enable_xhttp) {
    inbounds.push({
      tag: row.httpTransport.tag,
      port: settings.ws_port,
      protocol: 'vless',
      settings: vlessSettings,
      streamSettings: { ...row.httpTransport.stream(path), ...security },
    });
  }
  if (settings.enable_hysteria2) {
    if (!row.hysteria2) {
      warnings.push(`hysteria2 is enabled but ${flavour} has no Hysteria2; the inbound was left out`);
    } else if (tls === undefined) {
      warnings.push(
        'hysteria2 needs tls_cert_file and tls_key_file (QUIC is always TLS); the inbound was left out',
      );
    } else {
      inbounds.push({
        tag: 'hysteria2',
        port: settings.port,
        protocol: 'hysteria',
        settings: { version: 2, clients: clients.map((c) => ({ auth: c.id, email: c.email, level: 0 })) },
        streamSettings: {
          network: 'hysteria',
          hysteriaSettings: { version: 2 },
          security: 'tls',
          tlsSettings: { ...tls, alpn: ['h3'] },
        },
      });
    }
  }
  checkTcpPorts(inbounds);
  if (inbounds.length === 1) warnings.push('no proxy inbound is enabled on this node');

  const config = {
    log: { loglevel: 'warning' },
    api: { tag: 'api', services: ['HandlerService', 'StatsService'] },
    stats: {},
    policy: {
      levels: { '0': { statsUserUplink: true, statsUserDownlink: true } },
      system: { statsInboundUplink: true, statsInboundDownlink: true },
    },
    inbounds,
    outbounds: [
      { tag: 'direct', protocol: 'freedom', settings: {} },
      { tag: 'blocked', protocol: 'blackhole', settings: {} },
    ],
    routing: { rules: [{ type: 'field', inboundTag: ['api'], outboundTag: 'api' }] },
  };
  const configJson = canonicalJson(config);
  return Object.freeze({
    config: JSON.parse(configJson) as CoreConfig,
    configJson,
    configVersion: createHash('sha256').update(configJson, 'utf8').digest('hex').slice(0, 16),
    warnings: Object.freeze(warnings),
  });
}

function checkFlavour(options: GenerateOptions): CoreFlavour {
  if (typeof options !== 'object' || options === null || !isCoreFlavour(options.flavour)) {
    throw new ConfigInputInvalidError(
      `options.flavour: expected one of ${Object.keys(CORE_FLAVOURS).join(', ')}`,
    );
  }
  return options.flavour;
}

function checkSettings(node: ConfigNode): NodeSettings {
  if (typeof node !== 'object' || node === null)
    throw new ConfigInputInvalidError('node: expected an object');
  try {
    return mergeNodeSettings(DEFAULT_NODE_SETTINGS, node.settings ?? {});
  } catch (cause) {
    throw new ConfigInputInvalidError(`node.${(cause as Error).message}`, {}, { cause });
  }
}

function checkHiddenPath(hiddenPath: unknown): string {
  if (typeof hiddenPath !== 'string' || !HIDDEN_PATH.test(hiddenPath)) {
    throw new ConfigInputInvalidError('node.hiddenPath: expected 1-128 characters of [A-Za-z0-9_-]');
  }
  return hiddenPath;
}

/** The enabled users as clients, sorted by email so the config does not depend on row order. */
function checkUsers(users: readonly ConfigUser[], maxUsers: number): { id: string; email: string }[] {
  if (!Array.isArray(users)) throw new ConfigInputInvalidError('users: expected an array');
  const clients: { id: string; email: string }[] = [];
  const ids = new Set<string>();
  const emails = new Set<string>();
  for (const [i, user] of users.entries()) {
    const { id, email, enabled } = (user ?? {}) as Partial<ConfigUser>;
    if (typeof enabled !== 'boolean')
      throw new ConfigInputInvalidError(`users[${i}].enabled: expected a boolean`);
    if (!enabled) continue;
    if (typeof id !== 'string' || !UUID.test(id))
      throw new ConfigInputInvalidError(`users[${i}].id: expected a UUID`);
    if (typeof email !== 'string' || email.length === 0 || email.length > 254 || /[\0-\x20>]/.test(email)) {
      throw new ConfigInputInvalidError(
        `users[${i}].email: expected 1-254 printable characters without '>' or spaces`,
      );
    }
    const lowerId = id.toLowerCase();
    if (ids.has(lowerId) || emails.has(email)) {
      throw new ConfigInputInvalidError(`users[${i}]: the id or email of an earlier enabled user`);
    }
    ids.add(lowerId);
    emails.add(email);
    clients.push({ id: lowerId, email });
  }
  if (clients.length > maxUsers) {
    throw new MaxUsersExceededError(
      `${clients.length} enabled users exceed the node's max_users of ${maxUsers}`,
      {
        enabledUsers: clients.length,
        maxUsers,
      },
    );
  }
  return clients.sort((a, b) => (a.email < b.email ? -1 : a.email > b.email ? 1 : 0));
}

/** TCP inbounds (all but Hysteria2, which is UDP) must not share a port. */
function checkTcpPorts(inbounds: readonly CoreInbound[]): void {
  const seen = new Map<number, string>();
  for (const inbound of inbounds) {
    if (inbound.protocol === 'hysteria') continue;
    const other = seen.get(inbound.port);
    if (other !== undefined) {
      throw new ConfigInputInvalidError(
        `inbounds ${other} and ${inbound.tag} would share TCP port ${inbound.port}`,
      );
    }
    seen.set(inbound.port, inbound.tag);
  }
}
