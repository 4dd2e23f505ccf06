// Real certificates for TLS tests, made by the openssl command line (not by the code under test).
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCertificate {
  readonly certPath: string;
  readonly keyPath: string;
  readonly cert: string;
  /** SHA-256 of the DER certificate, colon-separated upper-case hex (Node's `fingerprint256`). */
  readonly fingerprint256: string;
}

/** A self-signed ECDSA P-256 certificate for 127.0.0.1 and localhost, in a fresh directory (or `dir`). */
export function makeCertificate(
  name = 'server',
  dir = mkdtempSync(join(tmpdir(), 'signet-tls-')),
): TestCertificate {
  const certPath = join(dir, `${name}.crt`);
  const keyPath = join(dir, `${name}.key`);
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
      keyPath,
      '-out',
      certPath,
      '-days',
      '2',
      '-subj',
      `/CN=${name}`,
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ],
    { stdio: 'ignore' },
  );
  const cert = readFileSync(certPath, 'utf8');
  return { certPath, keyPath, cert, fingerprint256: new X509Certificate(cert).fingerprint256 };
}
