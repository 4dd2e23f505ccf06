// The worker's own certificate, read back by openssl (not by the code that made it): ECDSA P-256,
// self-signed, ten years, the given names as SANs, kept with mode 0600 and reused as it is.
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { certificateFingerprint } from '@signet/server';
import { ensureSelfSignedCertificate, makeSelfSigned } from '../src/agent/self-signed.js';

const openssl = (args: string[], input?: string) =>
  execFileSync('openssl', args, { encoding: 'utf8', ...(input === undefined ? {} : { input }) });

describe("the worker's self-signed certificate", () => {
  it('is ECDSA P-256, self-signed, valid ten years, for the listen and advertised addresses', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'signet-selfsigned-'));
    const made = await ensureSelfSignedCertificate(dir, [
      '10.1.2.3',
      'node-1.example.net',
      '0.0.0.0',
      '2001:db8::7',
    ]);
    expect(made.created).toBe(true);
    const text = openssl(['x509', '-in', made.certPath, '-noout', '-text']);
    expect(text).toContain('Public Key Algorithm: id-ecPublicKey');
    expect(text).toContain('NIST CURVE: P-256');
    expect(text).toContain('Signature Algorithm: ecdsa-with-SHA256');
    expect(text).toMatch(
      /IP Address:10\.1\.2\.3, DNS:node-1\.example\.net, IP Address:2001:DB8:0:0:0:0:0:7/i,
    );
    expect(text).not.toContain('0.0.0.0'); // a wildcard listen address names no one
    expect(text).toContain('CA:FALSE');
    // Self-signed: openssl verifies it with itself as the only trust anchor.
    expect(openssl(['verify', '-CAfile', made.certPath, made.certPath])).toContain(': OK');
    const endDate = openssl(['x509', '-in', made.certPath, '-noout', '-enddate'])
      .trim()
      .replace('notAfter=', '');
    const years = (Date.parse(endDate) - Date.now()) / (365 * 24 * 3600 * 1000);
    expect(years).toBeGreaterThan(9.9);
    expect(years).toBeLessThan(10.1);
    // The key is the certificate's: openssl derives the same public key from both.
    const fromKey = openssl(['pkey', '-in', made.keyPath, '-pubout']);
    const fromCert = openssl(['x509', '-in', made.certPath, '-noout', '-pubkey']);
    expect(fromKey).toBe(fromCert);
    for (const path of [made.certPath, made.keyPath]) expect(statSync(path).mode & 0o777).toBe(0o600);
    // The fingerprint the worker sends is openssl's SHA-256 over the DER, as lower-case hex.
    const sha = openssl(['x509', '-in', made.certPath, '-noout', '-fingerprint', '-sha256']);
    expect(certificateFingerprint(readFileSync(made.certPath))).toBe(
      sha.trim().split('=')[1]!.replaceAll(':', '').toLowerCase(),
    );
  });

  it('encodes every serial number in DER form OpenSSL reads, also one whose random bytes start with zeros', async () => {
    for (const start of ['00', '0010', '80', 'ff']) {
      const random = Buffer.from(start.padEnd(32, '5a'), 'hex');
      const { cert } = await makeSelfSigned(['127.0.0.1'], new Date(), random);
      const dir = mkdtempSync(join(tmpdir(), 'signet-serial-'));
      try {
        writeFileSync(join(dir, 'c.pem'), cert);
        const serial = execFileSync('openssl', ['x509', '-in', join(dir, 'c.pem'), '-noout', '-serial'], {
          encoding: 'utf8',
        });
        // openssl prints the INTEGER's value: 16 bytes, the first 0x01..0x7f.
        expect(serial.trim()).toMatch(/^serial=(0[1-9A-F]|[1-7][0-9A-F])[0-9A-F]{30}$/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      expect(() => new X509Certificate(cert)).not.toThrow();
    }
  });

  it('is reused unchanged on later starts, and a certificate without its key is an error, not replaced', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'signet-selfsigned-'));
    const first = await ensureSelfSignedCertificate(dir, ['127.0.0.1']);
    const cert = readFileSync(first.certPath, 'utf8');
    const again = await ensureSelfSignedCertificate(dir, ['127.0.0.1', 'other.example']);
    expect(again.created).toBe(false);
    expect(readFileSync(again.certPath, 'utf8')).toBe(cert);

    rmSync(first.keyPath);
    await expect(ensureSelfSignedCertificate(dir, ['127.0.0.1'])).rejects.toThrow(
      /worker-tls\.crt is there without its key/,
    );
    expect(readFileSync(first.certPath, 'utf8')).toBe(cert);

    writeFileSync(first.keyPath, 'not a key', { mode: 0o600 });
    await expect(ensureSelfSignedCertificate(dir, ['127.0.0.1'])).rejects.toThrow(/cannot be used/);
  });

  it('a key left alone by a first start that was cut short is replaced (no certificate was ever pinned)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'signet-selfsigned-'));
    writeFileSync(join(dir, 'worker-tls.key'), 'half-written', { mode: 0o600 });
    const made = await ensureSelfSignedCertificate(dir, ['127.0.0.1']);
    expect(made.created).toBe(true);
    expect(readFileSync(made.keyPath, 'utf8')).toContain('BEGIN PRIVATE KEY');
  });
});
