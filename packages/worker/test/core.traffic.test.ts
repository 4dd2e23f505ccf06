import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoreApiClient } from '../src/core/api-client.js';
import { withApiInbound } from '../src/core/config-patch.js';
import { CoreApiError } from '../src/core/errors.js';
import { detectCore } from '../src/core/flavours.js';
import { CoreSupervisor } from '../src/core/supervisor.js';
import {
  ProcessPool,
  V2RAY,
  clientConfig,
  countingHttpServer,
  echoServer,
  freePort,
  httpGet,
  nodeConfig,
  roundTrip,
  socksConnect,
  socksExchange,
  tempDir,
} from './support/core-fixtures.js';

/**
 * Real traffic through a real core: a second v2ray is the user's VLESS client (SOCKS on loopback),
 * a Node HTTP server the destination, counting the bytes of each TCP connection server-side.
 */

const ALICE = { id: randomUUID(), email: 'alice@example.com' };
const BOB = { id: randomUUID(), email: 'bob@example.com' };
const BODY_BYTES = 100_000;
const counter = (email: string, direction: 'uplink' | 'downlink') =>
  `user>>>${email}>>>traffic>>>${direction}`;

const dir = tempDir('core-traffic');
const pool = new ProcessPool();
let supervisor: CoreSupervisor;
let api: CoreApiClient;
let http: Awaited<ReturnType<typeof countingHttpServer>>;
let vlessPort: number;
let aliceSocks: number;
let bobSocks: number;

/** One HTTP request through a SOCKS port; resolves with the response and the server's byte counts. */
async function fetchThrough(socksPort: number) {
  const before = http.connections.length;
  const response = await socksExchange(socksPort, { host: '127.0.0.1', port: http.port }, httpGet(http.port));
  const connection = http.connections[before];
  const served = connection ? await connection.closed : null;
  return { response, served };
}

beforeAll(async () => {
  const core = await detectCore(V2RAY);
  http = await countingHttpServer(BODY_BYTES);
  [vlessPort, aliceSocks, bobSocks] = [await freePort(), await freePort(), await freePort()];
  const apiPort = await freePort();
  supervisor = new CoreSupervisor({ core, dataDir: dir.path });
  await supervisor.apply(
    withApiInbound(nodeConfig({ vlessPort, clients: [ALICE] }), {
      port: apiPort,
      allowLoopbackDestinations: true,
    }),
  );
  api = new CoreApiClient({ port: apiPort }, core.flavour);
  await pool.startV2ray(
    dir.path,
    clientConfig({ socksPort: aliceSocks, serverPort: vlessPort, id: ALICE.id }),
    aliceSocks,
  );
  await pool.startV2ray(
    dir.path,
    clientConfig({ socksPort: bobSocks, serverPort: vlessPort, id: BOB.id }),
    bobSocks,
  );
});

afterAll(async () => {
  api?.close();
  await supervisor?.stop();
  await pool.killAll();
  await http?.close();
  dir.remove();
});

describe('traffic counters of a real v2ray core', () => {
  it("counts a user's downlink and uplink exactly as the destination wrote and read them", async () => {
    expect(await api.queryStats('user>>>')).toEqual(new Map());
    const { response, served } = await fetchThrough(aliceSocks);
    expect(response.subarray(0, 15).toString()).toBe('HTTP/1.1 200 OK');
    expect(served).not.toBeNull();
    expect(response.length).toBe(served!.bytesWritten);

    // Read at once, no polling: by the time the client has the last byte, the core has counted it.
    const stats = await api.queryStats('');
    expect(stats.get(counter(ALICE.email, 'downlink'))).toBe(BigInt(served!.bytesWritten));
    expect(stats.get(counter(ALICE.email, 'uplink'))).toBe(BigInt(served!.bytesRead));
    // The inbound counters count the VLESS framing too: 26 request bytes (version, id, addons,
    // command, port, address type, IPv4) and 2 response bytes (version, addons).
    expect(stats.get('inbound>>>vless-in>>>traffic>>>uplink')).toBe(BigInt(served!.bytesRead + 26));
    expect(stats.get('inbound>>>vless-in>>>traffic>>>downlink')).toBe(BigInt(served!.bytesWritten + 2));
    // The API's own gRPC traffic is counted as inbound `api`.
    expect(stats.get('inbound>>>api>>>traffic>>>uplink')).toBeGreaterThan(0n);
  });

  it('reads and zeroes the counters in one call with reset, and counts the next connection alone', async () => {
    const drained = await api.queryStats(`user>>>${ALICE.email}>>>`, true);
    expect(drained.get(counter(ALICE.email, 'downlink'))).toBeGreaterThan(0n);
    const after = await api.queryStats(`user>>>${ALICE.email}>>>`);
    expect([...after.values()]).toEqual([0n, 0n]);

    const { served } = await fetchThrough(aliceSocks);
    const stats = await api.queryStats(`user>>>${ALICE.email}>>>`);
    expect(stats.get(counter(ALICE.email, 'downlink'))).toBe(BigInt(served!.bytesWritten));
    expect(stats.get(counter(ALICE.email, 'uplink'))).toBe(BigInt(served!.bytesRead));
  });
});

describe('users changed at runtime through HandlerService.AlterInbound', () => {
  it('adds a user: its traffic is counted under its email, without a restart', async () => {
    const pid = supervisor.pid();
    const refused = await fetchThrough(bobSocks);
    expect(refused.response.length).toBe(0);
    expect(refused.served).toBeNull();

    await api.addVlessUser('vless-in', BOB);
    const { response, served } = await fetchThrough(bobSocks);
    expect(response.subarray(0, 15).toString()).toBe('HTTP/1.1 200 OK');
    const stats = await api.queryStats(`user>>>${BOB.email}>>>`);
    expect(stats.get(counter(BOB.email, 'downlink'))).toBe(BigInt(served!.bytesWritten));
    expect(stats.get(counter(BOB.email, 'uplink'))).toBe(BigInt(served!.bytesRead));
    expect(supervisor.pid()).toBe(pid);
  });

  it('refuses to add an email twice, and to remove an unknown one', async () => {
    const duplicate = await api.addVlessUser('vless-in', BOB).catch((error: unknown) => error);
    expect(duplicate).toBeInstanceOf(CoreApiError);
    expect((duplicate as CoreApiError).code).toBe('CORE_API_FAILED');
    expect((duplicate as Error).message).toMatch(/User bob@example.com already exists/);
    const unknown = await api.removeUser('vless-in', 'nobody@example.com').catch((error: unknown) => error);
    expect(unknown).toBeInstanceOf(CoreApiError);
    expect((unknown as Error).message).toMatch(/User nobody@example.com not found/);
    const noInbound = await api.addVlessUser('no-such-tag', BOB).catch((error: unknown) => error);
    expect(noInbound).toBeInstanceOf(CoreApiError);
    expect((noInbound as Error).message).toMatch(/handler not found: no-such-tag/);
  });

  it('removes a user: its new connections are refused', async () => {
    const pid = supervisor.pid();
    const echo = await echoServer();
    try {
      const open = await socksConnect(bobSocks, { host: '127.0.0.1', port: echo.port });
      expect((await roundTrip(open.socket, Buffer.from('before'))).toString()).toBe('before');

      await api.removeUser('vless-in', BOB.email);
      const before = await api.queryStats(`user>>>${BOB.email}>>>`);
      const refused = await fetchThrough(bobSocks);
      expect(refused.response.length).toBe(0);
      expect(refused.served).toBeNull();
      expect(await api.queryStats(`user>>>${BOB.email}>>>`)).toEqual(before);

      // A connection opened before the removal is not cut by it.
      const survived = await roundTrip(open.socket, Buffer.from('after')).then(
        (echoed) => echoed.toString(),
        (error: Error) => error.message,
      );
      expect(survived).toBe('after');
      open.socket.destroy();
      expect(supervisor.pid()).toBe(pid);
    } finally {
      await echo.close();
    }
  });

  it('apply() with only user changes uses the API: same PID, new user served', async () => {
    const pid = supervisor.pid();
    const endpoint = supervisor.apiEndpoint()!;
    const config = withApiInbound(nodeConfig({ vlessPort, clients: [ALICE, BOB] }), {
      port: endpoint.port,
      allowLoopbackDestinations: true,
    });
    expect(await supervisor.apply(config)).toBe('users-updated');
    expect(supervisor.pid()).toBe(pid);
    const { response } = await fetchThrough(bobSocks);
    expect(response.subarray(0, 15).toString()).toBe('HTTP/1.1 200 OK');
    expect(await supervisor.apply(config)).toBe('unchanged');

    const aliceOnly = withApiInbound(nodeConfig({ vlessPort, clients: [ALICE] }), {
      port: endpoint.port,
      allowLoopbackDestinations: true,
    });
    expect(await supervisor.apply(aliceOnly)).toBe('users-updated');
    expect((await fetchThrough(bobSocks)).response.length).toBe(0);
    expect(supervisor.pid()).toBe(pid);
  });
});
