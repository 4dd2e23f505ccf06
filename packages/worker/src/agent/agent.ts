import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { DecryptionFailedError, Fernet, type ReplayStore } from '@signet/auth';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  certificateFingerprint,
  checkSecretFileMode,
  httpsOption,
  reloadTlsOnChange,
  type SecretFilePolicy,
  type TlsFilePaths,
} from '@signet/server';
import { CoreApiClient } from '../core/api-client.js';
import { apiEndpointOf, withApiInbound } from '../core/config-patch.js';
import { CoreConfigInvalidError } from '../core/errors.js';
import { detectCore, type DetectedCore } from '../core/flavours.js';
import { CoreSupervisor } from '../core/supervisor.js';
import { TrafficLedger } from '../ledger/traffic-ledger.js';
import {
  ConfigRejectedError,
  type NodeControl,
  SecretRejectedError,
  workerApi,
} from '../routes/worker-api.js';
import {
  acceptedSecrets,
  type NodeCredentials,
  readCredentials,
  rotatedCredentials,
  writeCredentials,
} from './credentials.js';
import { MasterClient, MasterRefusedError } from './master-client.js';
import { ensureSelfSignedCertificate } from './self-signed.js';

export interface WorkerOptions {
  readonly masterUrl: string;
  /** The one-time registration token; needed only until the node is registered. */
  readonly token?: string | undefined;
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  readonly corePath?: string | undefined;
  /** ENCRYPTION_KEY(s) for the node's api_secret at rest. */
  readonly encryptionKeys: readonly string[];
  readonly replay: ReplayStore;
  readonly heartbeatSeconds?: number;
  /** How often the core's counters are read into the ledger (a crash loses at most this much). */
  readonly statsSeconds?: number;
  /** Loopback port of the core's gRPC API. */
  readonly coreApiPort?: number;
  /** This worker's URL as the master should call it. */
  readonly workerUrl?: string | undefined;
  /** Let proxy users reach loopback addresses (never the core's API or the Worker API). Tests only. */
  readonly allowLoopbackDestinations?: boolean;
  readonly maxAgeSeconds?: number;
  /** Serve the Worker API over HTTPS with this certificate and key (PEM), reloaded when they change. */
  readonly tls?: TlsFilePaths | undefined;
  /**
   * Without `tls`: serve HTTPS with the worker's own self-signed certificate (made at first start in
   * `dataDir`, reused later), and send its fingerprint in the registration so the master pins it.
   */
  readonly selfSignedTls?: boolean;
  /** Accept only a master presenting one of these certificates (SHA-256 hex); else the CAs decide. */
  readonly masterFingerprints?: readonly string[] | undefined;
  /** worker.json or the worker's TLS key readable by other users: refused at start unless this allows it. */
  readonly secretFiles?: SecretFilePolicy;
  readonly log: (message: string) => void;
}

export interface Worker {
  readonly app: FastifyInstance;
  readonly url: string;
  /** Sends one heartbeat now (drains counters first). */
  heartbeat(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The node agent: registers once, keeps the core running on the last good config (also while the
 * master is unreachable), pulls config, reads traffic counters into the ledger and reports them in
 * heartbeats, and serves the Worker API.
 */
export async function startWorker(options: WorkerOptions): Promise<Worker> {
  const fernet = new Fernet([...options.encryptionKeys]);
  const credentialsPath = join(options.dataDir, 'worker.json');
  const ledger = TrafficLedger.open(join(options.dataDir, 'traffic-ledger.json'));
  const core = await detectCore(options.corePath);
  const apiPort = options.coreApiPort ?? 10085;
  const master = new MasterClient(options.masterUrl.replace(/\/+$/, ''), {
    fingerprints: options.masterFingerprints ?? [],
  });
  const { tls, fingerprint } = await workerTls(options);
  // What can stop this start is checked before the core is started, so it is never left running.
  checkSecretFileMode(credentialsPath, options.secretFiles);
  let credentials: NodeCredentials | null = readCredentials(credentialsPath, fernet);
  if (!credentials && !options.token)
    throw new Error('this node is not registered yet: pass --token from `signet node add`');
  const started = Date.now();
  let appliedVersion: string | null = null;

  // Every core run starts its counters at zero. `run` counts runs; a read that straddles the start
  // of a new run is dropped, since its counters may belong to either run. Reads are serialized:
  // folding an older read after a newer one would look like a restart.
  let run = 0;
  let reading: Promise<void> = Promise.resolve();
  const drain = (endpoint = supervisor.apiEndpoint()): Promise<void> => {
    const read = reading.then(async () => {
      if (!endpoint) return;
      const readRun = run;
      const client = new CoreApiClient(endpoint, core.flavour);
      try {
        const counters = await client.queryStats('', false);
        if (run === readRun) ledger.fold(counters);
      } finally {
        client.close();
      }
    });
    reading = read.catch(() => {});
    return read;
  };
  const supervisor = new CoreSupervisor({
    core,
    dataDir: options.dataDir,
    beforeStop: () => drain(),
  });
  // Emitted before the new process exists, so no read of the new run can precede the reset.
  supervisor.on('status', (status: string) => {
    if (status !== 'starting') return;
    run++;
    ledger.coreStarted();
  });
  supervisor.on('hookError', (error: Error) => options.log(`core hook failed: ${error.message}`));
  supervisor.on('crash', (event: { code: number | null; signal: string | null }) =>
    options.log(`core exited (${event.signal ?? event.code}); restarting with backoff`),
  );

  // A core left running by a worker that was killed still holds counters the ledger has not seen.
  const stale = await supervisor.adoptStale();
  if (stale) {
    const config = await readFile(join(options.dataDir, 'core', 'config.json'), 'utf8').catch(() => null);
    const endpoint = config ? apiEndpointOf(config) : null;
    await drain(endpoint ?? null).catch((error: Error) =>
      options.log(`could not drain the previous core: ${error.message}`),
    );
    await supervisor.killStale();
  }
  await supervisor.start().catch((error: Error) => options.log(`core not started yet: ${error.message}`));
  try {
    if (!credentials) {
      const token = options.token as string; // checked before the core was started
      const registered = await retryUnreachable(
        () =>
          master.register({
            token,
            core_flavour: core.flavour,
            core_version: core.version,
            ...(options.workerUrl ? { worker_url: options.workerUrl } : {}),
            ...(fingerprint ? { tls_fingerprint: fingerprint } : {}),
          }),
        options.log,
      );
      credentials = {
        master: options.masterUrl,
        nodeId: registered.node_id,
        apiSecret: registered.api_secret,
        hiddenPath: registered.hidden_path,
      };
      writeCredentials(credentialsPath, fernet, credentials);
      options.log(`registered as node ${credentials.nodeId}`);
    }
    let node = credentials;

    /** A rotation's next secret: stored before it is used, so a crash cannot lose it. */
    function adoptSecret(sealed: string, graceSeconds: number): boolean {
      let rotated: NodeCredentials | null;
      try {
        rotated = rotatedCredentials(node, sealed, graceSeconds);
      } catch (error) {
        if (!(error instanceof DecryptionFailedError)) throw error;
        throw new SecretRejectedError("the sealed secret does not open under this node's current secret");
      }
      if (rotated === null) return false;
      writeCredentials(credentialsPath, fernet, rotated);
      node = rotated;
      const until = new Date(Date.now() + graceSeconds * 1000).toISOString();
      options.log(`api_secret rotated; the previous one is accepted until ${until}`);
      return true;
    }

    // The worker's own parts of every config: the API on loopback, and guards keeping users' traffic
    // away from this machine's own services.
    let workerPort = options.port; // the Worker API's real port, once it listens
    const patch = (configJson: string) =>
      withApiInbound(configJson, {
        port: apiPort,
        guardPorts: [workerPort],
        ...(options.allowLoopbackDestinations ? { allowLoopbackDestinations: true } : {}),
      });

    async function pullConfig(): Promise<void> {
      const { xray_config, config_version } = await master.config(node.nodeId, node.apiSecret);
      if (config_version === appliedVersion && supervisor.status() === 'running') return;
      const result = await supervisor.apply(patch(xray_config));
      appliedVersion = config_version;
      options.log(`config ${config_version}: ${result}`);
    }

    async function heartbeat(): Promise<void> {
      await drain().catch((error: Error) => options.log(`could not read traffic counters: ${error.message}`));
      const totals = ledger.totals().node;
      const answer = await master.heartbeat(node.nodeId, node.apiSecret, {
        stats: {
          uptime: Math.floor((Date.now() - started) / 1000),
          connections: 0,
          traffic_up: Number(totals.up),
          traffic_down: Number(totals.down),
        },
        core_status: supervisor.status(),
        core_flavour: core.flavour,
        core_version: core.version,
        ...(appliedVersion ? { config_version: appliedVersion } : {}),
        ...(options.workerUrl ? { worker_url: options.workerUrl } : {}),
        traffic: ledger.nextReport(),
      });
      // A rotation this worker missed (its Worker API unreachable): the answer carries the next secret.
      const rotation = answer.rotate_secret;
      if (rotation === undefined) return;
      try {
        // Signing the config pull with the new secret at once confirms it to the master.
        if (adoptSecret(rotation.sealed, rotation.grace_seconds)) await pullConfig();
      } catch (error) {
        options.log(`secret rotation from the heartbeat answer failed: ${(error as Error).message}`);
      }
    }

    const control: NodeControl = {
      registered: () => true,
      coreStatus: () => supervisor.status(),
      restartCore: async () => {
        await supervisor.restart();
      },
      applyConfig: async (configJson) => {
        try {
          await supervisor.apply(patch(configJson));
          appliedVersion = null; // a pushed config: report it as not the master's, pull again next time
        } catch (error) {
          if (error instanceof CoreConfigInvalidError) throw new ConfigRejectedError(error.message);
          throw error;
        }
      },
      logs: (lines) => supervisor.logs(lines).join('\n'),
      stats: () => {
        const totals = ledger.totals().node;
        return {
          uptime: Math.floor((Date.now() - started) / 1000),
          connections: 0,
          traffic_up: Number(totals.up),
          traffic_down: Number(totals.down),
        };
      },
      secret: () => acceptedSecrets(node),
      replaceSecret: adoptSecret,
    };

    const app = Fastify({
      ...httpsOption(tls),
      bodyLimit: 1_048_576,
      ajv: { customOptions: { coerceTypes: false, removeAdditional: false } },
      logger: false,
    });
    reloadTlsOnChange(app, tls, { log: options.log });
    await app.register(workerApi, {
      node: control,
      replay: options.replay,
      ...(options.maxAgeSeconds ? { maxAgeSeconds: options.maxAgeSeconds } : {}),
    });
    await app.listen({ host: options.host, port: options.port });
    const bound = app.server.address();
    workerPort = typeof bound === 'object' && bound ? bound.port : options.port;
    const url = `${tls ? 'https' : 'http'}://${options.host}:${workerPort}`;

    const tick = async () => {
      try {
        await pullConfig();
      } catch (error) {
        options.log(`config pull failed; the core keeps its last good config: ${(error as Error).message}`);
      }
      try {
        await heartbeat();
      } catch (error) {
        options.log(`heartbeat failed; the next one carries these bytes too: ${(error as Error).message}`);
      }
    };
    await tick();
    const heartbeats = setInterval(() => void tick(), (options.heartbeatSeconds ?? 60) * 1000);
    const reads = setInterval(() => void drain().catch(() => {}), (options.statsSeconds ?? 10) * 1000);

    return {
      app,
      url,
      heartbeat,
      async close() {
        clearInterval(heartbeats);
        clearInterval(reads);
        await app.close();
        await supervisor.stop();
      },
    };
  } catch (error) {
    // A start that fails leaves no core running behind it.
    await supervisor.stop().catch(() => undefined);
    throw error;
  }
}

export type { DetectedCore };

/**
 * What the Worker API serves: the operator's certificate, the worker's own self-signed one (its
 * fingerprint is sent in the registration, for the master to pin), or plain HTTP.
 */
async function workerTls(
  options: WorkerOptions,
): Promise<{ tls: TlsFilePaths | undefined; fingerprint: string | null }> {
  if (options.tls !== undefined || options.selfSignedTls !== true)
    return { tls: options.tls, fingerprint: null };
  const names = [options.host];
  if (options.workerUrl) names.push(new URL(options.workerUrl).hostname);
  const own = await ensureSelfSignedCertificate(options.dataDir, names);
  checkSecretFileMode(own.keyPath, options.secretFiles);
  const fingerprint = certificateFingerprint(await readFile(own.certPath));
  options.log(
    `${own.created ? 'made a self-signed' : 'serving the self-signed'} TLS certificate ${own.certPath} (SHA-256 ${fingerprint})`,
  );
  return { tls: { certPath: own.certPath, keyPath: own.keyPath }, fingerprint };
}

/**
 * Retries a call while the master cannot be reached (connection refused, timeout), with backoff
 * from 1 s to 60 s; an answer from the master, even a refusal, ends it.
 */
async function retryUnreachable<T>(call: () => Promise<T>, log: (message: string) => void): Promise<T> {
  for (let delay = 1000; ; delay = Math.min(delay * 2, 60_000)) {
    try {
      return await call();
    } catch (error) {
      if (error instanceof MasterRefusedError) throw error;
      log(`master unreachable (${(error as Error).message}); retrying in ${delay / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
