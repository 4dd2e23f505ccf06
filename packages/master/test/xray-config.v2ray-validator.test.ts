// Every config the master generates for v2ray passes the real core's own validator
// (`v2ray -test -config FILE`, Debian's V2Ray 4.34), across the settings a node can have.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_NODE_SETTINGS, type NodeSettings } from '../src/store/index.js';
import { generateCoreConfig, type ConfigUser } from '../src/xray-config/index.js';
import { v2rayForTests, v2rayTest } from './support/v2ray.js';

const v2ray = v2rayForTests();
const users = (n: number, disabled = 0): ConfigUser[] =>
  Array.from({ length: n + disabled }, (_, i) => ({
    id: `6b3f9a8e-1c2d-4e5f-8a9b-${i.toString(16).padStart(12, '0')}`,
    email: `user${i}@example.com`,
    enabled: i < n,
  }));

describe.skipIf(v2ray === undefined)('generated v2ray configs and the real v2ray validator', () => {
  const dir = mkdtempSync(join(tmpdir(), 'signet-v2ray-tls-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // A real certificate, so the TLS variants are checked by v2ray loading it, not only parsed.
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      '/CN=node.test',
    ],
    { stdio: 'ignore' },
  );
  const tls = { tls_cert_file: cert, tls_key_file: key };

  const cases: [string, Partial<NodeSettings>, ConfigUser[], number?][] = [
    ['defaults, no users', {}, []],
    ['vless over tcp, users and disabled users', {}, users(3, 2)],
    ['vless + websocket on the hidden path', { enable_xhttp: true }, users(5)],
    ['websocket only', { enable_vless: false, enable_xhttp: true }, users(1)],
    ['nothing but the API', { enable_vless: false }, users(2)],
    ['hysteria2 requested (left out on v2ray)', { enable_hysteria2: true, enable_xhttp: true }, users(2)],
    ['TLS on every inbound', { enable_xhttp: true, ...tls }, users(2)],
    ['other ports and a moved API', { port: 2443, ws_port: 2080 }, users(4), 20085],
    ['max_users reached exactly', { max_users: 50, enable_xhttp: true }, users(50, 3)],
  ];

  it.each(cases)('%s', async (_name, settings, list, apiPort) => {
    const generated = generateCoreConfig(
      { hiddenPath: 'f3a9c2d4e5b6a7c8d9e0f1a2', settings: { ...DEFAULT_NODE_SETTINGS, ...settings } },
      list,
      apiPort === undefined ? { flavour: 'v2ray' } : { flavour: 'v2ray', apiPort },
    );
    const result = await v2rayTest(generated.configJson);
    expect(result.output).toContain('Configuration OK.');
    expect(result.ok).toBe(true);
  });

  it('really runs the validator: a broken config fails it', async () => {
    const { config } = generateCoreConfig(
      { hiddenPath: 'abc', settings: { ...DEFAULT_NODE_SETTINGS, ...tls } },
      users(1),
      { flavour: 'v2ray' },
    );
    const brokenId = JSON.parse(JSON.stringify(config)) as {
      inbounds: { settings: { clients?: { id: string }[] } }[];
    };
    brokenId.inbounds[1]!.settings.clients![0]!.id = 'not-a-uuid';
    expect((await v2rayTest(JSON.stringify(brokenId))).ok).toBe(false);
    rmSync(key);
    expect((await v2rayTest(JSON.stringify(config))).ok).toBe(false); // the TLS key is gone
    const xray = generateCoreConfig(
      { hiddenPath: 'abc', settings: { ...DEFAULT_NODE_SETTINGS, enable_xhttp: true } },
      [],
      {
        flavour: 'xray',
      },
    );
    expect((await v2rayTest(xray.configJson)).output).toMatch(/unknown transport protocol: xhttp/);
  });
});
