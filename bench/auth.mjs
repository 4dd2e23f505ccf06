// npm run bench: operations per second of every @signet/auth scheme, each beside a baseline
// measured in the same run on the same machine. The ratios are the figures to watch.
import { createHmac, randomBytes } from 'node:crypto';
import { Bench } from 'tinybench';
import {
  Fernet,
  generateFernetKey,
  MemoryReplayStore,
  signDataTs,
  signInternal,
  signTem,
  signXray,
  verifyDataTs,
  verifyInternal,
  verifyTem,
  verifyXray,
} from '@signet/auth';
import { heartbeatBody } from './body.mjs';

const BATCH = 200; // operations per timed call, so the harness's own cost is amortized
const body = heartbeatBody(1024);
const secret = 'node-api-secret-0123456789abcdef';
const fernet = new Fernet(generateFernetKey());
const token = fernet.encrypt(Buffer.from(secret));
const xraySignature = signXray(body, secret).signature;
const now = () => Date.now();

// Every verify of a nonce scheme needs a fresh nonce: sign enough requests up front.
const internalHeaders = Array.from({ length: 400_000 }, (_, i) => {
  const { headers } = signInternal({ secret, nonce: `n${i}` });
  return {
    'x-signature': headers['X-Signature'],
    'x-timestamp': headers['X-Timestamp'],
    'x-nonce': headers['X-Nonce'],
  };
});
let nextInternal = 0;
const internalReplay = new MemoryReplayStore();
const dataTs = signDataTs({ secret, data: body });
const temKey = { accessKey: 'ak-bench', secretKey: secret, algorithm: 'L3.SHA256' };
const temHmacKey = { ...temKey, algorithm: 'L3.HMAC-SHA256' };
const temRequest = (key) => ({
  authorization: signTem({ ...key, method: 'POST', url: '/api/v1/nodes', body }).headers.Authorization,
  method: 'POST',
  url: '/api/v1/nodes',
  body,
});
const temSigned = temRequest(temKey);
const temHmacSigned = temRequest(temHmacKey);

const sync = (fn) => () => {
  for (let i = 0; i < BATCH; i++) fn();
};
const async = (fn) => async () => {
  for (let i = 0; i < BATCH; i++) await fn();
};

const bench = new Bench({ time: 1500, warmup: true, warmupTime: 300 });
bench
  .add(
    'baseline: node:crypto HMAC-SHA256 hex of the 1 KB body',
    sync(() => createHmac('sha256', secret).update(body).digest('hex')),
  )
  .add(
    'baseline: V8 JSON.stringify(JSON.parse(body)) + HMAC',
    sync(() =>
      createHmac('sha256', secret)
        .update(JSON.stringify(JSON.parse(body)))
        .digest('hex'),
    ),
  )
  .add(
    'xray sign (canonicalize + HMAC)',
    sync(() => signXray(body, secret)),
  )
  .add(
    'xray verify (canonicalize + HMAC + timestamp)',
    async(() => verifyXray(body, xraySignature, { secret, now })),
  )
  .add(
    'internal sign',
    sync(() => signInternal({ secret })),
  )
  .add(
    'internal verify (+ nonce claim in memory)',
    async(() =>
      verifyInternal(internalHeaders[nextInternal++ % internalHeaders.length], {
        secret,
        replay: internalReplay,
        now,
      }),
    ),
  )
  .add(
    'data-ts sign',
    sync(() => signDataTs({ secret, data: body })),
  )
  .add(
    'data-ts verify',
    async(() => verifyDataTs(body, dataTs.signature, dataTs.timestamp, { secret, now })),
  )
  .add(
    'tem L3.SHA256 sign',
    sync(() => signTem({ ...temKey, method: 'POST', url: '/api/v1/nodes', body })),
  )
  .add(
    'tem L3.SHA256 verify',
    async(() => verifyTem(temSigned, { resolveKey: () => temKey, now })),
  )
  .add(
    'tem L3.HMAC-SHA256 verify',
    async(() => verifyTem(temHmacSigned, { resolveKey: () => temHmacKey, now })),
  )
  .add(
    'fernet encrypt (32 B)',
    sync(() => fernet.encrypt(randomBytes(32))),
  )
  .add(
    'fernet decrypt (32 B)',
    sync(() => fernet.decrypt(token)),
  );

await bench.run();

const opsPerSecond = (name) => bench.tasks.find((task) => task.name === name).result.throughput.mean * BATCH;
const hmac = opsPerSecond(bench.tasks[0].name);
const roundTrip = opsPerSecond(bench.tasks[1].name);
const rows = bench.tasks.map((task) => {
  const ops = opsPerSecond(task.name);
  return {
    operation: task.name,
    'ops/s': Math.round(ops).toLocaleString('en'),
    'vs raw HMAC': (ops / hmac).toFixed(2),
  };
});
console.log(`\n@signet/auth, ${body.length}-byte body, node ${process.version}\n`);
console.table(rows);

const xrayRatio = opsPerSecond('xray verify (canonicalize + HMAC + timestamp)') / roundTrip;
console.log(
  `\nxray verify / (JSON.parse + JSON.stringify + HMAC): ${xrayRatio.toFixed(2)}  (target >= 0.50: ${xrayRatio >= 0.5 ? 'met' : 'NOT met'})`,
);
