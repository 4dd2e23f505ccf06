import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { apiEndpointOf, vlessClientsDiff, withApiInbound } from '../src/core/config-patch.js';
import { CoreConfigInvalidError } from '../src/core/errors.js';
import { CORE_FLAVOURS } from '../src/core/flavours.js';
import { runCommand } from '../src/core/run-command.js';
import { V2RAY, nodeConfig, tempDir } from './support/core-fixtures.js';

const dir = tempDir('core-config-patch');
afterAll(() => dir.remove());

const A = { id: '11111111-1111-4111-8111-111111111111', email: 'a@example.com' };
const B = { id: '22222222-2222-4222-8222-222222222222', email: 'b@example.com' };

/** A master config with its own, unsafe, API: on every interface, under another tag. */
const masterConfig = JSON.stringify({
  log: { loglevel: 'warning' },
  api: { tag: 'master-api', services: ['HandlerService', 'LoggerService'] },
  policy: { levels: { '0': { handshake: 4 } } },
  inbounds: [
    {
      tag: 'master-api',
      listen: '0.0.0.0',
      port: 10085,
      protocol: 'dokodemo-door',
      settings: { address: '127.0.0.1' },
    },
    {
      tag: 'vless-in',
      port: 443,
      protocol: 'vless',
      settings: { clients: [{ ...A, level: 1 }], decryption: 'none' },
    },
  ],
  outbounds: [
    { protocol: 'freedom', tag: 'direct' },
    { protocol: 'blackhole', tag: 'block' },
  ],
  routing: {
    rules: [
      { type: 'field', inboundTag: ['master-api'], outboundTag: 'master-api' },
      { type: 'field', ip: ['10.0.0.0/8'], outboundTag: 'block' },
    ],
  },
});

describe('withApiInbound', () => {
  const patched = JSON.parse(withApiInbound(masterConfig, { port: 20085 }));

  it('replaces the API the master sent by one on loopback, routed first', () => {
    expect(patched.api).toEqual({
      tag: 'api',
      services: ['HandlerService', 'StatsService', 'LoggerService'],
    });
    expect(patched.stats).toEqual({});
    expect(patched.inbounds[0]).toEqual({
      tag: 'api',
      listen: '127.0.0.1',
      port: 20085,
      protocol: 'dokodemo-door',
      settings: { address: '127.0.0.1' },
    });
    expect(patched.inbounds.map((i: { tag: string }) => i.tag)).toEqual(['api', 'vless-in']);
    // The api rule first, the worker's guards next (tested below), then the master's own rules.
    expect(
      patched.routing.rules.filter((rule: { outboundTag: string }) => rule.outboundTag !== 'signet-guard'),
    ).toEqual([
      { type: 'field', inboundTag: ['api'], outboundTag: 'api' },
      { type: 'field', ip: ['10.0.0.0/8'], outboundTag: 'block' },
    ]);
  });

  it('switches on the user and inbound counters for every level in use, keeping the rest of the policy', () => {
    expect(patched.policy.levels).toEqual({
      '0': { handshake: 4, statsUserUplink: true, statsUserDownlink: true },
      '1': { statsUserUplink: true, statsUserDownlink: true },
    });
    expect(patched.policy.system).toEqual({ statsInboundUplink: true, statsInboundDownlink: true });
  });

  it('produces a config the real core accepts, and is idempotent', async () => {
    const file = join(dir.path, 'patched.json');
    writeFileSync(file, withApiInbound(masterConfig, { port: 20085 }));
    const result = await runCommand(V2RAY, CORE_FLAVOURS.v2ray.testArgs(file), { timeoutMs: 10_000 });
    expect(result.output).toContain('Configuration OK');
    const twice = withApiInbound(withApiInbound(masterConfig, { port: 20085 }), { port: 20085 });
    expect(twice).toBe(withApiInbound(masterConfig, { port: 20085 }));
  });

  it('checks its inputs', () => {
    expect(() => withApiInbound(masterConfig, { port: 0 })).toThrow(TypeError);
    expect(() => withApiInbound(masterConfig, { port: 1.5 })).toThrow(/options.port/);
    expect(() => withApiInbound('{', { port: 1 })).toThrow(CoreConfigInvalidError);
    expect(() => withApiInbound('[]', { port: 1 })).toThrow(/must be a JSON object/);
  });
});

describe('apiEndpointOf', () => {
  it('finds the inbound named by the api section', () => {
    expect(apiEndpointOf(withApiInbound(masterConfig, { port: 20085 }))).toEqual({
      host: '127.0.0.1',
      port: 20085,
    });
    expect(apiEndpointOf(masterConfig)).toEqual({ host: '127.0.0.1', port: 10085 });
    expect(apiEndpointOf(nodeConfig({ vlessPort: 1, clients: [] }))).toBeNull();
  });
});

describe('vlessClientsDiff', () => {
  const base = (clients: object[], port = 443) => nodeConfig({ vlessPort: port, clients: clients as never });

  it('equal configs: only users changed, nothing to do', () => {
    expect(vlessClientsDiff(base([A]), base([A]))).toEqual({
      onlyUsersChanged: true,
      added: [],
      removed: [],
    });
  });

  it('added, removed and changed users', () => {
    expect(vlessClientsDiff(base([A]), base([A, B]))).toEqual({
      onlyUsersChanged: true,
      added: [{ tag: 'vless-in', ...B }],
      removed: [],
    });
    expect(vlessClientsDiff(base([A, B]), base([B]))).toEqual({
      onlyUsersChanged: true,
      added: [],
      removed: [{ tag: 'vless-in', email: A.email }],
    });
    const changed = { ...A, id: B.id, level: 2, flow: 'xtls-rprx-vision' };
    expect(vlessClientsDiff(base([A]), base([changed]))).toEqual({
      onlyUsersChanged: true,
      added: [{ tag: 'vless-in', email: A.email, id: B.id, level: 2, flow: 'xtls-rprx-vision' }],
      removed: [{ tag: 'vless-in', email: A.email }],
    });
  });

  it('anything else changed, or a user the API cannot address: a restart', () => {
    expect(vlessClientsDiff(base([A]), base([A, B], 444)).onlyUsersChanged).toBe(false);
    expect(vlessClientsDiff(base([A]), base([A, { id: B.id }])).onlyUsersChanged).toBe(false);
    expect(vlessClientsDiff(base([A]), base([A, { ...B, alterId: 0 }])).onlyUsersChanged).toBe(false);
    expect(vlessClientsDiff(base([A]), base([A, { ...B, email: A.email }])).onlyUsersChanged).toBe(false);
    const untagged = (clients: object[]) => {
      const config = JSON.parse(base(clients));
      delete config.inbounds[0].tag;
      return config;
    };
    expect(vlessClientsDiff(untagged([A]), untagged([A, B])).onlyUsersChanged).toBe(false);
    expect(vlessClientsDiff(untagged([A]), untagged([A])).onlyUsersChanged).toBe(true);
  });
});

describe('withApiInbound guards', () => {
  const config = JSON.stringify({
    inbounds: [
      { tag: 'vless-tcp', port: 443, protocol: 'vless', settings: { clients: [], decryption: 'none' } },
    ],
    outbounds: [{ protocol: 'freedom', tag: 'direct' }],
  });

  it("sends users' traffic for the API and guarded ports, and for all of loopback by default, to a blackhole", () => {
    const patched = JSON.parse(withApiInbound(config, { port: 10085, guardPorts: [9090] })) as {
      routing: { rules: Record<string, unknown>[] };
      outbounds: { tag: string; protocol: string }[];
    };
    const guards = patched.routing.rules.filter((rule) => rule['outboundTag'] === 'signet-guard');
    expect(guards.map((rule) => rule['port'] ?? 'all')).toEqual([10085, 9090, 'all']);
    for (const rule of guards) expect(rule['inboundTag']).toEqual(['vless-tcp']);
    expect(patched.outbounds[0]!.tag).toBe('direct'); // still the default
    expect(patched.outbounds.find((o) => o.tag === 'signet-guard')?.protocol).toBe('blackhole');
    const allowed = JSON.parse(
      withApiInbound(config, { port: 10085, allowLoopbackDestinations: true }),
    ) as typeof patched;
    expect(
      allowed.routing.rules.filter((rule) => rule['outboundTag'] === 'signet-guard').map((r) => r['port']),
    ).toEqual([10085]);
  });
});
