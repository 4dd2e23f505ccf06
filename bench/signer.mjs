// The signing service under HTTP load (autocannon), per platform: throughput and p50/p99 latency
// for single signs and batches of 10, beside a bare Fastify route, and p99 at a fixed 1,000 req/s.
// The signer and the baseline each run in their own process; autocannon runs in this one.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { base58 } from '@scure/base';
import { ed25519 } from '@noble/curves/ed25519.js';
import autocannon from 'autocannon';
import { Fernet, generateFernetKey } from '@signet/auth';

const DURATION = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = 16;

function start(args, env = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let output = '';
    child.stderr.on('data', (chunk) => {
      output += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) resolve({ url: match[1], child });
    });
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${output}`)));
  });
}

function credentials() {
  const dir = mkdtempSync(join(tmpdir(), 'signet-bench-'));
  const key = generateFernetKey();
  const fernet = new Fernet(key);
  const seed = randomBytes(32);
  const secret = Buffer.concat([seed, ed25519.getPublicKey(seed)]);
  const accounts = [
    {
      platformId: 'pacifica',
      accountId: 'pac',
      status: 'active',
      secrets: { privateKey: fernet.encrypt(base58.encode(secret)) },
    },
    {
      platformId: 'aster',
      accountId: 'ast',
      status: 'active',
      secrets: { privateKey: fernet.encrypt(`0x${randomBytes(32).toString('hex')}`) },
    },
    {
      platformId: 'binance',
      accountId: 'bn',
      status: 'active',
      keyType: 'hmac',
      secrets: {
        apiKey: fernet.encrypt('bench-key'),
        apiSecret: fernet.encrypt(randomBytes(32).toString('hex')),
      },
    },
    {
      platformId: 'okx',
      accountId: 'okx',
      status: 'active',
      secrets: {
        apiKey: fernet.encrypt('bench-key'),
        apiSecret: fernet.encrypt(randomBytes(16).toString('hex')),
        passphrase: fernet.encrypt('pass'),
      },
    },
  ];
  writeFileSync(join(dir, 'credentials.json'), JSON.stringify({ version: 1, accounts }));
  return { dir, key };
}

const DATA = {
  pacifica: [
    'pac',
    {
      instruction: {
        type: 'create_order',
        symbol: 'BTC',
        price: '100000',
        amount: '0.1',
        side: 'bid',
        tif: 'GTC',
        reduce_only: false,
      },
      nonce: 1748970123456,
    },
  ],
  aster: [
    'ast',
    {
      message: {
        action: 'place_order',
        symbol: 'BTCUSDT',
        price: '65000',
        quantity: '0.001',
        timestamp: 1735390800000,
      },
    },
  ],
  binance: [
    'bn',
    {
      method: 'POST',
      endpoint: '/api/v3/order',
      params: {
        symbol: 'BTCUSDT',
        side: 'BUY',
        type: 'LIMIT',
        quantity: '0.001',
        price: '65000',
        timestamp: 1735390800000,
      },
    },
  ],
  okx: [
    'okx',
    {
      method: 'POST',
      path: '/api/v5/trade/order',
      body: { instId: 'BTC-USDT', side: 'buy', ordType: 'limit', sz: '0.001', px: '65000' },
    },
  ],
};

const single = (platformId) =>
  JSON.stringify({ platformId, accountId: DATA[platformId][0], data: DATA[platformId][1] });
const batch = (platformId) =>
  JSON.stringify({
    requests: Array.from({ length: 10 }, (_, i) => ({
      requestId: `r${i}`,
      platformId,
      accountId: DATA[platformId][0],
      data: DATA[platformId][1],
    })),
  });

async function load(url, path, body, extra = {}) {
  const options = {
    url: `${url}${path}`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    connections: CONNECTIONS,
  };
  await autocannon({ ...options, duration: 1, ...extra }); // warm-up: let the JIT settle, not measured
  const result = await autocannon({ ...options, duration: DURATION, ...extra });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${path}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
}

const fixture = credentials();
const cli = fileURLToPath(new URL('../packages/cli/dist/bin.js', import.meta.url));
const signer = await start(
  [
    cli,
    'signer',
    '--port',
    '0',
    '--data',
    fixture.dir,
    '--credentials',
    join(fixture.dir, 'credentials.json'),
    '--log-level',
    'warn',
  ],
  {
    ENCRYPTION_KEY: fixture.key,
    REDIS_URL: '',
  },
);
const bare = await start([fileURLToPath(new URL('./bare-server.mjs', import.meta.url))]);
try {
  const rows = [];
  const baseline = await load(bare.url, '/api/v1/sign', single('okx'));
  rows.push({
    run: 'bare Fastify route (baseline)',
    'req/s': Math.round(baseline.rps),
    'p50 ms': baseline.p50,
    'p99 ms': baseline.p99,
    'vs baseline': '1.00',
  });
  for (const platform of Object.keys(DATA)) {
    for (const [kind, body] of [
      ['single', single(platform)],
      ['batch of 10', batch(platform)],
    ]) {
      const r = await load(signer.url, kind === 'single' ? '/api/v1/sign' : '/api/v1/sign/batch', body);
      rows.push({
        run: `${platform} ${kind}`,
        'req/s': Math.round(r.rps),
        'p50 ms': r.p50,
        'p99 ms': r.p99,
        'vs baseline': (r.rps / baseline.rps).toFixed(2),
      });
    }
  }
  // A fixed rate, after the load runs; the bare route at the same rate shows what the client and
  // this machine add to the tail on their own.
  const pacedOptions = { overallRate: 1000, connections: 10 };
  const pacedBare = await load(bare.url, '/api/v1/sign', single('okx'), pacedOptions);
  const paced = await load(signer.url, '/api/v1/sign', single('okx'), pacedOptions);
  console.log(
    `\nsigning service over HTTP, ${CONNECTIONS} connections, ${DURATION} s per run, node ${process.version}\n`,
  );
  console.table(rows);
  const hmac =
    Math.min(...rows.filter((r) => /^(binance|okx) single/.test(r.run)).map((r) => r['req/s'])) /
    baseline.rps;
  console.log(
    `\nokx single at a fixed 1,000 req/s: p50 ${paced.p50} ms, p99 ${paced.p99} ms  (target p99 < 5 ms: ${paced.p99 < 5 ? 'met' : 'NOT met'}; the bare route at the same rate: p99 ${pacedBare.p99} ms)`,
  );
  console.log(
    `HMAC platforms / bare route throughput: ${hmac.toFixed(2)}  (target >= 0.50: ${hmac >= 0.5 ? 'met' : 'NOT met'})`,
  );
} finally {
  signer.child.kill('SIGTERM');
  bare.child.kill('SIGTERM');
}
