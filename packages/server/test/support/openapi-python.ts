// Known answers for TEM-AUTH headers from real Python, composed from seed 003's text (and, for
// L3.HMAC-SHA256, Signet's documented variant), independently of Signet's own signer.
import { spawnSync } from 'node:child_process';

export interface PythonTemInput {
  readonly algorithm: string;
  readonly accessKey: string;
  readonly secretKey: string;
  readonly method: string;
  /** Path and query, as GetUrlRelativePath yields them. */
  readonly url: string;
  readonly body?: string;
  readonly time?: string;
}

const SCRIPT = String.raw`
import hashlib, hmac, json, sys
out = []
for r in json.load(sys.stdin):
    alg, ak, sk, m = r["algorithm"], r["accessKey"], r["secretKey"], r["method"].upper()
    params = r.get("body", "") if m in ("POST", "PUT", "PATCH") else ""
    t = r.get("time", "")
    plain = "ak:" + ak + "|sk:" + sk + "|time:" + t + "|method:" + m + "|url:" + r["url"] + "|params:" + params
    if alg in ("L0.PLAINTEXT", "L0.PAINTEXT"):
        token = "TEM-AUTH:" + ak + ":" + sk
    elif alg == "L0.SHA1":
        token = "TEM-AUTH:" + ak + ":" + hashlib.sha1(sk.encode()).hexdigest()
    else:
        if alg == "L3.SHA1":
            sig = hashlib.sha1(plain.encode()).hexdigest()
        elif alg == "L3.SHA256":
            sig = hashlib.sha256(plain.encode()).hexdigest()
        elif alg == "L3.HMAC-SHA256":
            msg = "ak:" + ak + "|time:" + t + "|method:" + m + "|url:" + r["url"] + "|params:" + params
            sig = hmac.new(sk.encode(), msg.encode(), hashlib.sha256).hexdigest()
        else:
            raise SystemExit("unknown algorithm " + alg)
        token = "TEM-AUTH:" + ak + ":" + sig + ":" + t
    out.append("Bearer " + token)
print(json.dumps(out))
`;

/** The Authorization header value Python computes for each input, in order. */
export function pythonTemAuthorizations(inputs: readonly PythonTemInput[]): string[] {
  const result = spawnSync(process.env['SIGNET_PYTHON'] ?? 'python3', ['-E', '-X', 'utf8=1', '-c', SCRIPT], {
    input: JSON.stringify(inputs),
  });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`python3 failed: ${result.stderr.toString()}`);
  return JSON.parse(result.stdout.toString()) as string[];
}
