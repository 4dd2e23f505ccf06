import { NodeSettingsInvalidError } from './errors.js';

/** A node's settings, stored as JSON text. Field names are the seed's (`config` of the register reply). */
export interface NodeSettings {
  readonly enable_vless: boolean;
  /** The HTTP-based transport on the hidden path: `xhttp` on xray, WebSocket on v2ray. */
  readonly enable_xhttp: boolean;
  /** Hysteria2 (xray only; needs `tls_cert_file` and `tls_key_file`). */
  readonly enable_hysteria2: boolean;
  /** The most enabled proxy users the node's config may carry. */
  readonly max_users: number;
  /** The VLESS-over-TCP port (and Hysteria2's UDP port). */
  readonly port: number;
  /** The port of the HTTP-based transport (xhttp / WebSocket). */
  readonly ws_port: number;
  /** Paths on the node of a TLS certificate and key; when both are set, every inbound uses TLS. */
  readonly tls_cert_file: string | null;
  readonly tls_key_file: string | null;
}

/** What callers may set: any subset, with the seed's `enable_splithttp` accepted for `enable_xhttp`. */
export type NodeSettingsInput = { readonly [K in keyof NodeSettings]?: NodeSettings[K] } & {
  readonly enable_splithttp?: boolean;
};

export const DEFAULT_NODE_SETTINGS: NodeSettings = Object.freeze({
  enable_vless: true,
  enable_xhttp: false,
  enable_hysteria2: false,
  max_users: 100,
  port: 443,
  ws_port: 8443,
  tls_cert_file: null,
  tls_key_file: null,
});

/** The largest `max_users`; also bounds the users of one traffic report. */
export const MAX_USERS_LIMIT = 100_000;

type Rule = (value: unknown) => boolean;
const isBoolean: Rule = (v) => typeof v === 'boolean';
const isPort: Rule = (v) => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 65535;
const isPath: Rule = (v) =>
  v === null || (typeof v === 'string' && v.length > 0 && v.length <= 4096 && !v.includes('\0'));

/** One row per setting: how a value is checked and what the error says it should be. */
const RULES: Readonly<Record<keyof NodeSettings, readonly [Rule, string]>> = {
  enable_vless: [isBoolean, 'a boolean'],
  enable_xhttp: [isBoolean, 'a boolean'],
  enable_hysteria2: [isBoolean, 'a boolean'],
  max_users: [
    (v) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= MAX_USERS_LIMIT,
    `an integer from 0 to ${MAX_USERS_LIMIT}`,
  ],
  port: [isPort, 'a port number (1-65535)'],
  ws_port: [isPort, 'a port number (1-65535)'],
  tls_cert_file: [isPath, 'a file path or null'],
  tls_key_file: [isPath, 'a file path or null'],
};

/**
 * `base` with `input` applied. Unknown keys are refused (a typo must not silently do nothing);
 * `enable_splithttp` is the seed's name for `enable_xhttp`, and the two may not disagree.
 *
 * @throws {NodeSettingsInvalidError} naming the first bad key.
 */
export function mergeNodeSettings(base: NodeSettings, input: unknown): NodeSettings {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new NodeSettingsInvalidError('settings: expected an object');
  }
  const merged: Record<string, unknown> = { ...base };
  const entries = Object.entries(input).filter(([, value]) => value !== undefined);
  const aliased = entries.find(([key]) => key === 'enable_splithttp');
  for (const [key, value] of entries) {
    const name = key === 'enable_splithttp' ? 'enable_xhttp' : key;
    const rule = Object.hasOwn(RULES, name) ? RULES[name as keyof NodeSettings] : undefined;
    if (rule === undefined) throw new NodeSettingsInvalidError(`settings.${key}: unknown setting`);
    if (!rule[0](value)) throw new NodeSettingsInvalidError(`settings.${key}: expected ${rule[1]}`);
    merged[name] = value;
  }
  const xhttp = entries.find(([key]) => key === 'enable_xhttp');
  if (aliased !== undefined && xhttp !== undefined && aliased[1] !== xhttp[1]) {
    throw new NodeSettingsInvalidError('settings.enable_splithttp: disagrees with settings.enable_xhttp');
  }
  const settings = merged as unknown as NodeSettings;
  if ((settings.tls_cert_file === null) !== (settings.tls_key_file === null)) {
    throw new NodeSettingsInvalidError('settings.tls_cert_file, settings.tls_key_file: set both or neither');
  }
  if (settings.port === settings.ws_port && settings.enable_vless && settings.enable_xhttp) {
    throw new NodeSettingsInvalidError('settings.ws_port: must differ from settings.port');
  }
  return Object.freeze(settings);
}

/** Settings read back from the database: defaults fill keys added after the row was written. */
export function parseStoredSettings(text: string): NodeSettings {
  const stored = JSON.parse(text) as Record<string, unknown>;
  const known = Object.fromEntries(Object.entries(stored).filter(([key]) => Object.hasOwn(RULES, key)));
  return mergeNodeSettings(DEFAULT_NODE_SETTINGS, known);
}

/** The seed's view of the settings (the register reply's `config`): `enable_splithttp`, not `enable_xhttp`. */
export function seedNodeConfig(settings: NodeSettings): {
  enable_vless: boolean;
  enable_splithttp: boolean;
  enable_hysteria2: boolean;
  max_users: number;
} {
  return {
    enable_vless: settings.enable_vless,
    enable_splithttp: settings.enable_xhttp,
    enable_hysteria2: settings.enable_hysteria2,
    max_users: settings.max_users,
  };
}
