// The master's worker client pins the certificate a node registered with: real TLS handshakes on
// loopback against the worker's own routes served over HTTPS (certificates made by openssl). The
// pinned certificate is accepted though no CA vouches for it; another one is refused before a
// request is sent, with its own code, and the refusal is reported for the node to be flagged.
import { X509Certificate } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryReplayStore } from '@signet/auth';
import { workerApi } from '@signet/worker';
import {
  WorkerCertificateMismatchError,
  WorkerClient,
  WorkerClientError,
  WorkerUnreachableError,
} from '../src/worker-client/index.js';
import { makeCertificate, type TestCertificate } from '../../server/test/support/certificates.js';
import { fakeNode, type FakeNode } from './support/worker-api-app.js';

const secret = 'node-secret-pinned-81c2e0';
let node: FakeNode;
let app: FastifyInstance;
let url: string;
let served: TestCertificate;
let other: TestCertificate;
/** Signet's form of a certificate's fingerprint, computed by Node from openssl's file. */
const pinOf = (cert: TestCertificate) =>
  new X509Certificate(cert.cert).fingerprint256.replaceAll(':', '').toLowerCase();

beforeAll(async () => {
  served = makeCertificate('worker');
  other = makeCertificate('impostor');
  node = fakeNode(secret);
  app = Fastify({
    https: { cert: served.cert, key: (await import('node:fs')).readFileSync(served.keyPath) },
  });
  await app.register(workerApi, { node, replay: new MemoryReplayStore() });
  await app.listen({ host: '127.0.0.1', port: 0 });
  url = `https://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
});
afterAll(() => app.close());

async function rejection(call: Promise<unknown>): Promise<WorkerClientError> {
  const error: unknown = await call.then(
    () => expect.fail('expected the call to be refused'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WorkerClientError);
  expect(String(error)).not.toContain(secret);
  return error as WorkerClientError;
}

describe('WorkerClient with a pinned certificate', () => {
  it('talks to the worker presenting the pinned certificate, self-signed and unknown to every CA', async () => {
    // The same pin typed as openssl prints it (colons, upper case) works too.
    for (const fingerprint of [pinOf(served), served.fingerprint256]) {
      const client = new WorkerClient({ baseUrl: url, secret, fingerprint });
      expect(await client.stats()).toMatchObject({ uptime: 86400, connections: 15 });
      expect(await client.logs(3)).toBe('line 0\nline 1\nline 2');
      expect(await client.restart()).toEqual({ message: 'Xray重启成功' });
    }
    expect(node.calls).toEqual(['logs 3', 'restart', 'logs 3', 'restart']);
  });

  it('refuses a worker presenting another certificate, sending it nothing, and reports the mismatch', async () => {
    node.calls.length = 0;
    const reported: WorkerCertificateMismatchError[] = [];
    const client = new WorkerClient({
      baseUrl: url,
      secret,
      fingerprint: pinOf(other),
      onCertificateMismatch: (error) => void reported.push(error),
    });
    const error = await rejection(client.restart());
    expect(error).toBeInstanceOf(WorkerCertificateMismatchError);
    expect(error.code).toBe('WORKER_CERTIFICATE_MISMATCH');
    const mismatch = error as WorkerCertificateMismatchError;
    expect(mismatch.pinned).toBe(pinOf(other));
    expect(mismatch.presented).toBe(pinOf(served));
    expect(mismatch.message).toContain(`presented TLS certificate ${pinOf(served)}`);
    expect(reported).toEqual([error]);
    expect(node.calls).toEqual([]); // the signed restart never reached the worker
  });

  it('refuses a plain http:// address when a certificate is pinned (the worker said it serves TLS)', async () => {
    const reported: unknown[] = [];
    const client = new WorkerClient({
      baseUrl: url.replace('https:', 'http:'),
      secret,
      fingerprint: pinOf(served),
      onCertificateMismatch: (error) => void reported.push(error),
    });
    const error = await rejection(client.stats());
    expect(error.code).toBe('WORKER_CERTIFICATE_MISMATCH');
    expect((error as WorkerCertificateMismatchError).presented).toBeNull();
    expect(reported).toHaveLength(1);
  });

  it('without a pin, verifies the certificate against the CAs: this self-signed one is not trusted', async () => {
    const error = await rejection(new WorkerClient({ baseUrl: url, secret }).stats());
    expect(error).toBeInstanceOf(WorkerUnreachableError);
    expect(error.message).toContain('DEPTH_ZERO_SELF_SIGNED_CERT');
  });

  it('refuses a fingerprint that is not 64 hex digits', () => {
    expect(() => new WorkerClient({ baseUrl: url, secret, fingerprint: 'abc' })).toThrow(/fingerprint/);
  });
});
