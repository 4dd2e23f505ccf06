// The master's node API under a simulated fleet (issue 4): heartbeats per second absorbed on SQLite
// and on PostgreSQL, beside a bare Fastify route in the same run, and the fleet that rate sustains
// at one heartbeat per node every 60 s (target: 100,000 nodes on one core).
//
// The master is the real `signet master` in its own process; the bare route runs in another;
// autocannon runs here. Each heartbeat is built at send time for the next node of the fleet (round
// robin): a fresh timestamp, stats, and a traffic report (boot id, seq + 1, cumulative counters of the
// node and of its 2-3 users), signed as the worker signs it (X-Signature over the body), so the master
// verifies, claims it in its replay store, de-duplicates by seq and writes the store for every one.
// The seed's unsigned variant (api_secret in the body) is measured too. After the load, the store is
// read back: every heartbeat answered 2xx is counted, and every node's and user's totals are exactly
// the counters of its last applied report.
//
// BENCH_SECONDS (default 5) per run, BENCH_NODES (default 2000) nodes, DATABASE_URL for PostgreSQL
// (default postgres://postgres@127.0.0.1:5432/test; a schema of its own, dropped afterwards; skipped
// with a note when unreachable). BENCH_CPU_PROF=DIR runs the master with --cpu-prof into DIR.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';
import { Fernet, generateFernetKey, signXray } from '@signet/auth';
import { createNode, openDatabase } from '@signet/master';

const DURATION = Number(process.env.BENCH_SECONDS ?? 5);
const NODES = Number(process.env.BENCH_NODES ?? 2000);
const CONNECTIONS = 16;
const INTERVAL_SECONDS = 60;
const TARGET_FLEET = 100_000;
const PG_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const CPU_PROF = process.env.BENCH_CPU_PROF ? resolve(process.env.BENCH_CPU_PROF) : undefined;
// Round robin over the fleet keeps one request per node in flight, so seqs arrive in order.
if (!(Number.isInteger(NODES) && NODES >= 4 * CONNECTIONS))
  throw new Error(`BENCH_NODES must be an integer >= ${4 * CONNECTIONS}`);

const fmtInt = (n) => Math.round(n).toLocaleString('en-US');
const cli = fileURLToPath(new URL('../packages/cli/dist/bin.js', import.meta.url));
const children = new Set();
const cleanups = [];

function start(args, env) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    children.add(child);
    let output = '';
    child.stderr.on('data', (chunk) => {
      output += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) resolvePromise({ url: match[1], child, output: () => output });
    });
    child.on('exit', (code) => {
      children.delete(child);
      reject(new Error(`exited ${code}: ${output}`));
    });
  });
}

async function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/** The simulated fleet: per node its secret, ledger (boot id, seq) and per-heartbeat byte growth. */
function makeFleet(prefix, count) {
  const nodes = Array.from({ length: count }, (_, i) => {
    const users = Array.from({ length: 2 + (i % 2) }, (_, j) => ({
      email: `u${j}.${prefix}-${i}@bench.example`,
      up: BigInt(1_000 + ((i * 7919 + j * 104_729) % 5_000_000)),
      down: BigInt(10_000 + ((i * 15_485_863 + j * 32_452_843) % 50_000_000)),
    }));
    return {
      name: `${prefix}-${i}`,
      id: 0,
      secret: '',
      bootId: randomBytes(8).toString('hex'),
      configVersion: randomBytes(8).toString('hex'),
      seq: 0,
      acked: 0,
      users,
      up: users.reduce((sum, u) => sum + u.up, 0n),
      down: users.reduce((sum, u) => sum + u.down, 0n),
    };
  });
  let next = 0;
  return {
    nodes,
    next: () => nodes[next++ % nodes.length],
    counts: { sent: 0, ok: 0, failed: 0 },
    errors: new Map(),
  };
}

/** Cumulative counters of a node's report `seq`: every heartbeat adds the same growth. */
function counters(node, seq) {
  const s = BigInt(seq);
  return {
    node: { up: String(node.up * s), down: String(node.down * s) },
    users: Object.fromEntries(
      node.users.map((u) => [u.email, { up: String(u.up * s), down: String(u.down * s) }]),
    ),
  };
}

/** The next heartbeat of `node`, as Signet's worker sends it (signed), or the seed's body secret. */
function heartbeat(node, signed) {
  node.seq++;
  const now = Date.now();
  const { node: totals, users } = counters(node, node.seq);
  const body = {
    ...(signed ? {} : { api_secret: node.secret }),
    stats: {
      uptime: node.seq * INTERVAL_SECONDS,
      connections: node.seq % 50,
      traffic_up: Number(totals.up),
      traffic_down: Number(totals.down),
    },
    core_status: 'running',
    core_flavour: 'xray',
    core_version: '25.1.30',
    config_version: node.configVersion,
    traffic: { boot_id: node.bootId, seq: node.seq, node: totals, users },
    node_id: node.id,
    timestamp: Math.floor(now / 1000),
  };
  const text = JSON.stringify(body);
  const headers = { 'content-type': 'application/json' };
  if (signed) headers['x-signature'] = signXray(text, node.secret).signature;
  return { text, headers };
}

/** One autocannon request that builds a fresh heartbeat for the next node at send time. */
function heartbeatRequests(fleet, signed) {
  return [
    {
      setupRequest: (request, context) => {
        const node = fleet.next();
        const { text, headers } = heartbeat(node, signed);
        context.node = node;
        context.seq = node.seq;
        fleet.counts.sent++;
        return { ...request, headers, body: text };
      },
      onResponse: (status, body, context) => {
        if (status >= 200 && status < 300) {
          fleet.counts.ok++;
          if (context.seq > context.node.acked) context.node.acked = context.seq;
        } else {
          fleet.counts.failed++;
          const key = `${status} ${String(body).slice(0, 120)}`;
          fleet.errors.set(key, (fleet.errors.get(key) ?? 0) + 1);
        }
      },
    },
  ];
}

/** CPU seconds (user + system) a process has used, from /proc; undefined off Linux. */
function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in USER_HZ ticks
  } catch {
    return undefined;
  }
}

/** CPU seconds of every `postgres` process on this machine (the server is local in the default URL). */
function postgresCpuSeconds() {
  let total = 0;
  try {
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        if (stat.includes('(postgres)')) total += cpuSeconds(pid) ?? 0;
      } catch {
        // gone
      }
    }
  } catch {
    return undefined;
  }
  return total;
}

const CLIENT_CPU = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

/** A warm-up second, then the measured run, with the CPU the server (and PostgreSQL) used during it. */
async function load(url, path, requests, serverPid, postgres = false) {
  const options = { url: `${url}${path}`, method: 'POST', connections: CONNECTIONS, requests };
  await autocannon({ ...options, duration: 1 }); // warm-up: let the JIT settle, not measured
  const before = {
    server: cpuSeconds(serverPid),
    client: CLIENT_CPU(),
    pg: postgres && postgresCpuSeconds(),
  };
  const result = await autocannon({ ...options, duration: DURATION });
  const after = { server: cpuSeconds(serverPid), client: CLIENT_CPU(), pg: postgres && postgresCpuSeconds() };
  const cores = (k) =>
    typeof before[k] === 'number' && typeof after[k] === 'number'
      ? (after[k] - before[k]) / result.duration
      : undefined;
  return {
    ok: result['2xx'],
    seconds: result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    bad: result.non2xx + result.errors + result.timeouts,
    serverCores: cores('server'),
    clientCores: cores('client'),
    pgCores: postgres ? cores('pg') : undefined,
  };
}

function row(run, r, baseline, target) {
  const rate = r.ok / r.seconds;
  return {
    run,
    'heartbeats/s': fmtInt(rate),
    'p50 ms': r.p50,
    'p99 ms': r.p99,
    'vs baseline': (rate / baseline).toFixed(2),
    'fleet @60 s': fmtInt(rate * INTERVAL_SECONDS),
    '100k target': target ? (rate * INTERVAL_SECONDS >= TARGET_FLEET ? 'met' : 'NOT met') : '',
    'server cores': r.serverCores?.toFixed(2) ?? '?',
    'hb per server core-s': r.serverCores ? fmtInt(rate / r.serverCores) : '?',
    'postgres cores': r.pgCores?.toFixed(2) ?? '',
    'client cores': r.clientCores?.toFixed(2) ?? '?',
    'non-2xx/errors': r.bad,
  };
}

/** A PostgreSQL URL whose connections use `schema` (the master takes no schema option). */
function withSearchPath(url, schema) {
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return u.toString();
}

async function postgresReachable(url) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch (error) {
    return error;
  } finally {
    await client.end().catch(() => {});
  }
}

async function postgresQuery(url, text) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
}

/** Registers the fleet: nodes and tokens straight in the store, then POST /api/node/register each. */
async function registerFleet(db, fernet, masterUrl, fleet) {
  const tokens = await db.transaction().execute(async (trx) => {
    const out = [];
    for (const node of fleet.nodes) out.push(await createNode(trx, fernet, node.name));
    return out;
  });
  let i = 0;
  const worker = async () => {
    while (i < fleet.nodes.length) {
      const k = i++;
      const node = fleet.nodes[k];
      const response = await fetch(`${masterUrl}/api/node/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          token: tokens[k].token,
          timestamp: Math.floor(Date.now() / 1000),
          worker_url: `http://10.${(k >> 16) & 255}.${(k >> 8) & 255}.${k & 255}:9090`,
          core_flavour: 'xray',
          core_version: '25.1.30',
        }),
      });
      const answer = await response.json();
      if (!response.ok || answer.node_id !== tokens[k].nodeId)
        throw new Error(`register ${node.name}: ${response.status} ${JSON.stringify(answer)}`);
      node.id = answer.node_id;
      node.secret = answer.api_secret;
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
}

/**
 * Reads the store back. Each node reports under one boot id with seq 1, 2, 3…, so the master's
 * last_seq is how many of its heartbeats reached the store, and its totals must be exactly the
 * counters of that report: every byte once.
 */
async function verify(db, fleet) {
  const marks = await db.selectFrom('traffic_marks').select(['node_id', 'boot_id', 'last_seq']).execute();
  const totals = await db
    .selectFrom('traffic_totals')
    .select(['node_id', 'user_email', 'up', 'down'])
    .execute();
  const byId = new Map(fleet.nodes.map((n) => [n.id, n]));
  const lastSeq = new Map();
  const problems = [];
  for (const m of marks) {
    const node = byId.get(Number(m.node_id));
    if (!node || m.boot_id !== node.bootId) problems.push(`unexpected ledger ${m.node_id}/${m.boot_id}`);
    else lastSeq.set(node, Number(m.last_seq));
  }
  let recorded = 0;
  let lagging = 0;
  for (const node of fleet.nodes) {
    const last = lastSeq.get(node) ?? 0;
    recorded += last;
    if (last < node.acked) lagging++;
    if (last > node.seq) problems.push(`${node.name}: last_seq ${last} > sent ${node.seq}`);
  }
  if (lagging) problems.push(`${lagging} nodes: a 2xx heartbeat is missing from the store`);
  const expected = new Map();
  for (const node of fleet.nodes) {
    const last = lastSeq.get(node) ?? 0;
    if (last === 0) continue;
    const c = counters(node, last);
    expected.set(`${node.id}|`, c.node);
    for (const [email, v] of Object.entries(c.users)) expected.set(`${node.id}|${email}`, v);
  }
  let exact = 0;
  for (const t of totals) {
    const key = `${Number(t.node_id)}|${t.user_email}`;
    const want = expected.get(key);
    if (want && String(t.up) === want.up && String(t.down) === want.down) exact++;
    else if (problems.length < 20)
      problems.push(`totals ${key}: ${t.up}/${t.down}, expected ${want?.up}/${want?.down}`);
    expected.delete(key);
  }
  if (expected.size) problems.push(`${expected.size} expected totals rows are missing`);
  return { recorded, exact, rows: totals.length, problems };
}

async function benchStore(kind, baseline, rows, notes) {
  const dataDir = mkdtempSync(join(tmpdir(), 'signet-bench-master-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const key = generateFernetKey();
  const fernet = new Fernet(key);
  const env = { ...process.env, ENCRYPTION_KEY: key };
  delete env.REDIS_URL;
  delete env.DATABASE_URL;
  let storeOptions = { dataDir };
  if (kind === 'PostgreSQL') {
    const schema = `signet_bench_${process.pid}_${randomBytes(4).toString('hex')}`;
    storeOptions = { dataDir, databaseUrl: PG_URL, schema };
    env.DATABASE_URL = withSearchPath(PG_URL, schema);
    cleanups.push(() => postgresQuery(PG_URL, `drop schema if exists ${schema} cascade`));
  }
  const db = await openDatabase(storeOptions); // creates the schema and migrates; the master finds it done
  cleanups.push(() => db.destroy());
  const fleet = makeFleet(kind === 'SQLite' ? 'sq' : 'pg', NODES);
  const args = [
    ...(CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', join(CPU_PROF, kind)] : []),
    cli,
    'master',
    '--port',
    '0',
    '--data',
    dataDir,
    '--heartbeat-limit',
    '100000',
    '--log-level',
    'warn',
  ];
  const master = await start(args, env);
  try {
    const t0 = Date.now();
    await registerFleet(db, fernet, master.url, fleet);
    const registration = (Date.now() - t0) / 1000;
    // Steady state, not a fleet joining: two heartbeats from every node first (their first report
    // creates the node's ledger rows), not measured.
    await autocannon({
      url: `${master.url}/api/node/heartbeat`,
      method: 'POST',
      connections: CONNECTIONS,
      requests: heartbeatRequests(fleet, true),
      amount: 2 * NODES,
    });
    for (const signed of [true, false]) {
      const requests = heartbeatRequests(fleet, signed);
      const r = await load(
        master.url,
        '/api/node/heartbeat',
        requests,
        master.child.pid,
        kind === 'PostgreSQL',
      );
      const run = `${kind}: ${signed ? 'signed (X-Signature)' : 'unsigned (api_secret in body)'}`;
      rows.push(row(run, r, baseline.rate, true));
    }
    await sleep(500); // let requests cut off by the load generator's stop reach the store
    const v = await verify(db, fleet);
    const { sent, ok, failed } = fleet.counts;
    const cutOff = sent - ok - failed;
    const appliedAfterCut = v.recorded - ok;
    const good = v.problems.length === 0 && failed === 0 && appliedAfterCut >= 0 && appliedAfterCut <= cutOff;
    notes.push(
      `${kind}: ${fmtInt(NODES)} nodes registered over HTTP in ${registration.toFixed(1)} s; ` +
        `heartbeats sent ${fmtInt(sent)}, answered 2xx ${fmtInt(ok)}, non-2xx ${fmtInt(failed)}, ` +
        `cut off unanswered by the load generator's stop ${cutOff}; the store recorded ${fmtInt(v.recorded)} ` +
        `(= 2xx + ${appliedAfterCut} of the cut-off ones); traffic totals exact on ${fmtInt(v.exact)}/${fmtInt(v.rows)} ` +
        `rows (node + users): ${good ? 'OK' : 'MISMATCH'}`,
    );
    for (const [error, count] of fleet.errors) notes.push(`  ${kind} non-2xx ×${count}: ${error}`);
    for (const problem of v.problems) notes.push(`  ${kind} problem: ${problem}`);
    if (!good) process.exitCode = 1;
  } finally {
    await stop(master.child);
  }
}

try {
  const baselineFleet = makeFleet('bare', NODES);
  baselineFleet.nodes.forEach((node, i) => {
    node.id = i + 1;
    node.secret = randomBytes(32).toString('base64url');
  });
  const bare = await start([fileURLToPath(new URL('./bare-server.mjs', import.meta.url))], process.env);
  let baseline;
  try {
    // The same signed heartbeat bodies, built the same way, so the client's cost is the same.
    const r = await load(bare.url, '/api/v1/sign', heartbeatRequests(baselineFleet, true), bare.child.pid);
    baseline = { ...r, rate: r.ok / r.seconds };
  } finally {
    await stop(bare.child);
  }
  const rows = [row('bare Fastify route (baseline)', baseline, baseline.rate, false)];
  const notes = [];
  await benchStore('SQLite', baseline, rows, notes);
  const reachable = await postgresReachable(PG_URL);
  if (reachable === true) await benchStore('PostgreSQL', baseline, rows, notes);
  else
    notes.push(
      `PostgreSQL: skipped, ${new URL(PG_URL).host} is unreachable (${reachable.message}); set DATABASE_URL`,
    );
  console.log(
    `\nmaster heartbeats (POST /api/node/heartbeat), a fleet of ${fmtInt(NODES)} nodes round robin, ` +
      `${CONNECTIONS} connections, ${DURATION} s per run, node ${process.version}; ` +
      `target ${fmtInt(TARGET_FLEET)} nodes at ${INTERVAL_SECONDS} s = ${fmtInt(TARGET_FLEET / INTERVAL_SECONDS)} heartbeats/s\n`,
  );
  console.table(rows);
  console.log(
    'fleet @60 s = heartbeats/s × 60. server cores: CPU the master (or the bare route) used during the run; ' +
      'hb per server core-s: what one busy core of it absorbs. postgres cores: every postgres process on ' +
      'this machine. client cores: autocannon and the signing of bodies, in this process.',
  );
  for (const note of notes) console.log(note);
} finally {
  for (const child of children) await stop(child);
  for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch(() => {});
}
