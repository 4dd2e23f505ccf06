// Core config generation: a content-hash version that only moves when the config does, max_users
// enforced, the gRPC API on loopback only, the HTTP transport per core flavour.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEFAULT_NODE_SETTINGS, type NodeSettings } from '../src/store/index.js';
import { generateCoreConfig, type ConfigUser, type CoreInbound } from '../src/xray-config/index.js';

const node = (settings: Partial<NodeSettings> & { enable_splithttp?: boolean } = {}) => ({
  hiddenPath: 'abc123def456',
  settings: { ...DEFAULT_NODE_SETTINGS, ...settings },
});
const user = (n: number, enabled = true): ConfigUser => ({
  id: `00000000-0000-4000-8000-${n.toString().padStart(12, '0')}`,
  email: `user${n}@example.com`,
  enabled,
});
const USERS = [user(1), user(2), user(3, false)];
const inbound = (config: { inbounds: readonly CoreInbound[] }, tag: string) =>
  config.inbounds.find((i) => i.tag === tag);

describe('generateCoreConfig', () => {
  it('versions the canonical JSON: first 16 hex digits of its SHA-256', () => {
    const out = generateCoreConfig(node(), USERS, { flavour: 'xray' });
    expect(out.configVersion).toBe(createHash('sha256').update(out.configJson).digest('hex').slice(0, 16));
    expect(out.configVersion).toMatch(/^[0-9a-f]{16}$/);
    expect(JSON.parse(out.configJson)).toEqual(out.config);
    expect(out.configJson).not.toMatch(/\s/);
    // Canonical: every object's keys sorted.
    const sorted = (v: unknown): boolean =>
      Array.isArray(v)
        ? v.every(sorted)
        : typeof v !== 'object' ||
          v === null ||
          (Object.keys(v).join() === Object.keys(v).sort().join() && Object.values(v).every(sorted));
    expect(sorted(JSON.parse(out.configJson))).toBe(true);
  });

  it('keeps the version when only key order or user order changes', () => {
    const a = generateCoreConfig(node({ enable_xhttp: true }), USERS, { flavour: 'xray' });
    const reordered = Object.fromEntries(
      Object.entries({ ...DEFAULT_NODE_SETTINGS, enable_xhttp: true }).reverse(),
    );
    const b = generateCoreConfig(
      { settings: reordered as never, hiddenPath: 'abc123def456' },
      [...USERS].reverse().map((u) => ({ enabled: u.enabled, email: u.email, id: u.id })),
      { flavour: 'xray' },
    );
    expect(b.configJson).toBe(a.configJson);
    expect(b.configVersion).toBe(a.configVersion);
    // enable_splithttp is the seed's spelling of enable_xhttp: the same config.
    const { enable_xhttp: _, ...rest } = DEFAULT_NODE_SETTINGS;
    const c = generateCoreConfig(
      { hiddenPath: 'abc123def456', settings: { ...rest, enable_splithttp: true } },
      USERS,
      { flavour: 'xray' },
    );
    expect(c.configVersion).toBe(a.configVersion);
  });

  it('changes the version when users or settings change', () => {
    const base = generateCoreConfig(node(), USERS, { flavour: 'v2ray' }).configVersion;
    const variants = [
      generateCoreConfig(node(), [...USERS, user(4)], { flavour: 'v2ray' }),
      generateCoreConfig(node(), [user(1), user(2, false), user(3, false)], { flavour: 'v2ray' }),
      generateCoreConfig(node(), [user(1), { ...user(2), email: 'other@example.com' }, user(3, false)], {
        flavour: 'v2ray',
      }),
      generateCoreConfig(node(), [user(1), { ...user(2), id: user(9).id }, user(3, false)], {
        flavour: 'v2ray',
      }),
      generateCoreConfig(node({ port: 444 }), USERS, { flavour: 'v2ray' }),
      generateCoreConfig(node({ enable_xhttp: true }), USERS, { flavour: 'v2ray' }),
      generateCoreConfig(node({ enable_xhttp: true }), USERS, { flavour: 'xray' }),
      generateCoreConfig({ ...node(), hiddenPath: 'other' }, USERS, { flavour: 'v2ray', apiPort: 10086 }),
    ].map((o) => o.configVersion);
    expect(new Set([base, ...variants]).size).toBe(variants.length + 1);
    // Without an HTTP transport or Hysteria2 the two flavours' configs are the same config.
    expect(generateCoreConfig(node(), USERS, { flavour: 'xray' }).configVersion).toBe(base);
    // A disabled user does not reach the config, so toggling another disabled one changes nothing.
    expect(
      generateCoreConfig(node(), [user(1), user(2), user(3, false), user(5, false)], { flavour: 'v2ray' })
        .configVersion,
    ).toBe(base);
  });

  it('carries the enabled users as level-0 clients, sorted by email', () => {
    const { config } = generateCoreConfig(node(), [user(2), user(1), user(3, false)], { flavour: 'xray' });
    expect(inbound(config, 'vless-tcp')!.settings).toEqual({
      clients: [
        { id: user(1).id, email: user(1).email, level: 0 },
        { id: user(2).id, email: user(2).email, level: 0 },
      ],
      decryption: 'none',
    });
  });

  it('enforces max_users over enabled users', () => {
    const three = [user(1), user(2), user(3)];
    expect(() => generateCoreConfig(node({ max_users: 3 }), three, { flavour: 'xray' })).not.toThrow();
    expect(() =>
      generateCoreConfig(node({ max_users: 3 }), [...three, user(4, false)], { flavour: 'xray' }),
    ).not.toThrow();
    let error: unknown;
    try {
      generateCoreConfig(node({ max_users: 2 }), three, { flavour: 'xray' });
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'MAX_USERS_EXCEEDED', details: { enabledUsers: 3, maxUsers: 2 } });
    expect((error as Error).message).not.toContain('@');
    expect(() => generateCoreConfig(node({ max_users: 0 }), [user(1)], { flavour: 'v2ray' })).toThrow(
      expect.objectContaining({ code: 'MAX_USERS_EXCEEDED' }),
    );
  });

  it('binds the API inbound to loopback only and routes it to the API', () => {
    for (const flavour of ['xray', 'v2ray'] as const) {
      const { config } = generateCoreConfig(node({ enable_xhttp: true }), USERS, { flavour });
      expect(inbound(config, 'api')).toEqual({
        tag: 'api',
        listen: '127.0.0.1',
        port: 10085,
        protocol: 'dokodemo-door',
        settings: { address: '127.0.0.1' },
      });
      expect(config.api).toEqual({ tag: 'api', services: ['HandlerService', 'StatsService'] });
      expect(config.routing.rules).toContainEqual({ type: 'field', inboundTag: ['api'], outboundTag: 'api' });
      // Nothing else is a dokodemo-door, and the proxy inbounds do not share the API port.
      const others = config.inbounds.filter((i) => i.tag !== 'api');
      expect(others.every((i) => i.protocol !== 'dokodemo-door' && i.port !== 10085)).toBe(true);
    }
    const moved = generateCoreConfig(node(), USERS, { flavour: 'v2ray', apiPort: 20085 }).config;
    expect(inbound(moved, 'api')).toMatchObject({ listen: '127.0.0.1', port: 20085 });
  });

  it('has statistics, policy, logs and outbounds the worker relies on', () => {
    const { config } = generateCoreConfig(node(), USERS, { flavour: 'xray' });
    expect(config.log).toEqual({ loglevel: 'warning' });
    expect(config.stats).toEqual({});
    expect(config.policy).toEqual({
      levels: { '0': { statsUserUplink: true, statsUserDownlink: true } },
      system: { statsInboundUplink: true, statsInboundDownlink: true },
    });
    expect(config.outbounds).toEqual([
      { tag: 'direct', protocol: 'freedom', settings: {} },
      { tag: 'blocked', protocol: 'blackhole', settings: {} },
    ]);
  });

  it('puts the HTTP transport on the hidden path: xhttp on xray, WebSocket on v2ray', () => {
    const settings = { enable_xhttp: true, port: 443, ws_port: 8443 };
    const xray = generateCoreConfig(node(settings), USERS, { flavour: 'xray' }).config;
    expect(inbound(xray, 'vless-xhttp')).toMatchObject({
      port: 8443,
      protocol: 'vless',
      streamSettings: { network: 'xhttp', xhttpSettings: { path: '/abc123def456', mode: 'auto' } },
    });
    expect(inbound(xray, 'vless-ws')).toBeUndefined();
    const v2ray = generateCoreConfig(node(settings), USERS, { flavour: 'v2ray' }).config;
    expect(inbound(v2ray, 'vless-ws')).toMatchObject({
      port: 8443,
      protocol: 'vless',
      streamSettings: { network: 'ws', wsSettings: { path: '/abc123def456' } },
    });
    expect(JSON.stringify(v2ray)).not.toMatch(/xhttp|splithttp/);
    expect(inbound(v2ray, 'vless-tcp')).toMatchObject({ port: 443, streamSettings: { network: 'tcp' } });
    expect(inbound(v2ray, 'vless-tcp')!.streamSettings).toEqual({ network: 'tcp' }); // no TLS: no security key
    const off = generateCoreConfig(node({ enable_vless: false }), USERS, { flavour: 'v2ray' });
    expect(off.config.inbounds.map((i) => i.tag)).toEqual(['api']);
    expect(off.warnings).toEqual(['no proxy inbound is enabled on this node']);
  });

  it('adds Hysteria2 on xray with TLS, and explains leaving it out otherwise', () => {
    const tls = { tls_cert_file: '/etc/signet/cert.pem', tls_key_file: '/etc/signet/key.pem' };
    const withTls = generateCoreConfig(node({ enable_hysteria2: true, ...tls }), USERS, { flavour: 'xray' });
    expect(withTls.warnings).toEqual([]);
    expect(inbound(withTls.config, 'hysteria2')).toMatchObject({
      protocol: 'hysteria',
      port: 443,
      settings: {
        version: 2,
        clients: [{ auth: user(1).id, email: user(1).email, level: 0 }, expect.anything()],
      },
      streamSettings: { network: 'hysteria', security: 'tls' },
    });
    expect(inbound(withTls.config, 'vless-tcp')!.streamSettings).toMatchObject({
      security: 'tls',
      tlsSettings: { certificates: [{ certificateFile: tls.tls_cert_file, keyFile: tls.tls_key_file }] },
    });
    const v2ray = generateCoreConfig(node({ enable_hysteria2: true, ...tls }), USERS, { flavour: 'v2ray' });
    expect(inbound(v2ray.config, 'hysteria2')).toBeUndefined();
    expect(v2ray.warnings).toEqual([expect.stringMatching(/v2ray has no Hysteria2/)]);
    const noTls = generateCoreConfig(node({ enable_hysteria2: true }), USERS, { flavour: 'xray' });
    expect(inbound(noTls.config, 'hysteria2')).toBeUndefined();
    expect(noTls.warnings).toEqual([expect.stringMatching(/needs tls_cert_file/)]);
  });

  it('refuses inputs that cannot make a valid config', () => {
    const bad: [
      Parameters<typeof generateCoreConfig>[0],
      readonly ConfigUser[],
      Parameters<typeof generateCoreConfig>[2],
    ][] = [
      [node(), USERS, { flavour: 'sing-box' as never }],
      [node(), USERS, { flavour: 'xray', apiPort: 443 }], // collides with vless-tcp
      [node(), USERS, { flavour: 'xray', apiPort: 0 }],
      [{ ...node(), hiddenPath: '../etc' }, USERS, { flavour: 'xray' }],
      [{ ...node(), hiddenPath: '' }, USERS, { flavour: 'xray' }],
      [node({ max_users: -1 }), USERS, { flavour: 'xray' }],
      [node(), [user(1), user(1)], { flavour: 'xray' }],
      [node(), [user(1), { ...user(2), id: user(1).id.toUpperCase() }], { flavour: 'xray' }],
      [node(), [{ ...user(1), id: 'nope' }], { flavour: 'xray' }],
      [node(), [{ ...user(1), email: 'a>>>b' }], { flavour: 'xray' }],
      [node(), [{ ...user(1), enabled: 'yes' as never }], { flavour: 'xray' }],
    ];
    for (const [n, users, options] of bad) {
      expect(() => generateCoreConfig(n, users, options)).toThrow(
        expect.objectContaining({ code: 'CONFIG_INPUT_INVALID' }),
      );
    }
  });
});
