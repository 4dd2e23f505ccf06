import { createPrivateKey, randomBytes, webcrypto } from 'node:crypto';
import { existsSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { loadTlsFiles, type TlsFilePaths, writeFileAtomic } from '@signet/server';

/** The worker's own certificate in `--data`: pinned by the master, so trusted by fingerprint, not by name. */
export const SELF_SIGNED_CERT_FILE = 'worker-tls.crt';
export const SELF_SIGNED_KEY_FILE = 'worker-tls.key';

/** Ten years: the certificate is pinned, so it has no CA-style renewal; replacing it means registering again. */
const VALIDITY_MS = 10 * 365 * 24 * 60 * 60 * 1000;
const ECDSA_P256 = { name: 'ECDSA', namedCurve: 'P-256' } as const;
// RFC 5280 GeneralName choices.
const DNS_NAME = 2;
const IP_ADDRESS = 7;

/**
 * The worker's self-signed certificate and key in `dataDir` (`worker-tls.crt`, `worker-tls.key`,
 * mode 0600): made at first start (ECDSA P-256, the given host names and addresses as SANs),
 * reused as they are on every later start. A certificate without its key, or a pair that does not
 * load, is an error, never silently replaced: the master has pinned the certificate.
 */
export async function ensureSelfSignedCertificate(
  dataDir: string,
  names: readonly string[],
): Promise<TlsFilePaths & { created: boolean }> {
  const paths = {
    certPath: join(dataDir, SELF_SIGNED_CERT_FILE),
    keyPath: join(dataDir, SELF_SIGNED_KEY_FILE),
  };
  if (existsSync(paths.certPath)) {
    if (!existsSync(paths.keyPath)) {
      throw new Error(
        `${paths.certPath} is there without its key ${paths.keyPath}; restore the key, or remove the certificate to make a new pair (then register the node again: signet node token NAME)`,
      );
    }
    loadTlsFiles(paths); // a clear error naming the files when they do not make a pair
    return { ...paths, created: false };
  }
  // No certificate: none was ever pinned (the key is written first, so a key alone is a first start
  // that was cut short, and is replaced).
  const { cert, key } = await makeSelfSigned(names);
  writeFileAtomic(paths.keyPath, key);
  writeFileAtomic(paths.certPath, cert);
  return { ...paths, created: true };
}

/** A self-signed ECDSA P-256 certificate (PEM) for `names` (host names and IP addresses) and its PKCS#8 key (PEM). */
export async function makeSelfSigned(
  names: readonly string[],
  now: Date = new Date(),
  random: Buffer = randomBytes(16),
): Promise<{ cert: string; key: string }> {
  type EngineCrypto = ConstructorParameters<typeof pkijs.CryptoEngine>[0]['crypto'];
  const engine = new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto as unknown as EngineCrypto });
  const keys = await webcrypto.subtle.generateKey(ECDSA_P256, true, ['sign', 'verify']);
  const certificate = new pkijs.Certificate();
  certificate.version = 2; // v3
  // A positive INTEGER in DER's shortest form: a first byte of 0x00 would be padding that OpenSSL
  // refuses ("illegal padding"), so it is 0x01..0x7f.
  const serial = Buffer.from(random);
  serial.writeUInt8(serial.readUInt8(0) & 0x7f || 0x01, 0);
  certificate.serialNumber = new asn1js.Integer({ valueHex: serial });
  const commonName = () =>
    new pkijs.AttributeTypeAndValue({
      type: '2.5.4.3',
      value: new asn1js.Utf8String({ value: 'signet-worker' }),
    });
  certificate.subject.typesAndValues.push(commonName());
  certificate.issuer.typesAndValues.push(commonName());
  certificate.notBefore.value = new Date(now.getTime() - 60 * 60 * 1000); // tolerate clock skew
  certificate.notAfter.value = new Date(now.getTime() + VALIDITY_MS);
  const basic = new pkijs.BasicConstraints({ cA: false });
  const extensions = [
    new pkijs.Extension({
      extnID: '2.5.29.19',
      critical: true,
      extnValue: basic.toSchema().toBER(false),
      parsedValue: basic,
    }),
  ];
  const altNames = [...new Set(names)].flatMap(generalName);
  if (altNames.length > 0) {
    const san = new pkijs.AltName({ altNames });
    extensions.push(
      new pkijs.Extension({
        extnID: '2.5.29.17',
        critical: false,
        extnValue: san.toSchema().toBER(false),
        parsedValue: san,
      }),
    );
  }
  certificate.extensions = extensions;
  await certificate.subjectPublicKeyInfo.importKey(keys.publicKey, engine);
  await certificate.sign(keys.privateKey, 'SHA-256', engine);
  const der = Buffer.from(certificate.toSchema(true).toBER(false));
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  try {
    const key = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
    return { cert: pem('CERTIFICATE', der), key: key.export({ format: 'pem', type: 'pkcs8' }).toString() };
  } finally {
    pkcs8.fill(0);
  }
}

function pem(label: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** A SAN entry for a host name or address; none for a wildcard address (0.0.0.0, ::). */
function generalName(name: string): pkijs.GeneralName[] {
  const host = name.replace(/^\[|\]$/g, '');
  const family = isIP(host);
  if (family === 0) {
    return host === '' ? [] : [new pkijs.GeneralName({ type: DNS_NAME, value: host.toLowerCase() })];
  }
  const bytes = family === 4 ? ipv4Bytes(host) : ipv6Bytes(host);
  if (bytes.every((byte) => byte === 0)) return [];
  return [new pkijs.GeneralName({ type: IP_ADDRESS, value: new asn1js.OctetString({ valueHex: bytes }) })];
}

const ipv4Bytes = (address: string): Uint8Array => Uint8Array.from(address.split('.').map(Number));

/** The 16 bytes of an IPv6 address that `isIP` accepted (`::` shorthand, an IPv4 tail, a zone id). */
function ipv6Bytes(address: string): Uint8Array {
  let text = address.replace(/%.*$/, '');
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4?.[1]) {
    const tail = Buffer.from(ipv4Bytes(v4[1]));
    text = `${text.slice(0, -v4[1].length)}${tail.readUInt16BE(0).toString(16)}:${tail.readUInt16BE(2).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const groups = (part: string) => (part === '' ? [] : part.split(':'));
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const all = [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  const bytes = new Uint8Array(16);
  all.forEach((group, i) => {
    const value = parseInt(group, 16);
    bytes[i * 2] = value >> 8;
    bytes[i * 2 + 1] = value & 0xff;
  });
  return bytes;
}
