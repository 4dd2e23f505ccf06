// `signet sign`, run as a process: its signatures match the seeds' known answers and Python, and
// the curl line it prints is accepted by a real server verifying with @signet/auth.
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testVectors } from '../../../test-vectors/index.js';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryReplayStore, verifyInternal, verifyTem, verifyXray } from '@signet/auth';
import { runCli } from './run-cli.js';

const vectors = testVectors<{
  tem_l0_sha1: { accessKey: string; secretKey: string; header: string };
  internal_nonce_hmac: {
    secret: string;
    timestamp: string;
    nonce: string;
    stringToSign: string;
    signatureHex: string;
  };
}>('platforms.json');

function signJson(args: string[], env: Record<string, string> = {}) {
  const result = runCli(['sign', ...args, '--json'], { env });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return JSON.parse(result.stdout) as {
    stringToSign: string;
    signature: string;
    headers: Record<string, string>;
    curl: string;
  };
}

describe('signet sign: known answers', () => {
  it('internal: the seed-001 sample inputs', () => {
    const v = vectors.internal_nonce_hmac;
    const out = signJson([
      '--scheme',
      'internal',
      '--secret',
      v.secret,
      '--timestamp',
      v.timestamp,
      '--nonce',
      v.nonce,
    ]);
    expect(out.stringToSign).toBe(v.stringToSign);
    expect(out.signature).toBe(v.signatureHex);
    expect(out.headers).toEqual({
      'X-Signature': v.signatureHex,
      'X-Timestamp': v.timestamp,
      'X-Nonce': v.nonce,
    });
  });

  it('internal: API_SECRET_KEY is the default secret', () => {
    const v = vectors.internal_nonce_hmac;
    const out = signJson(['--scheme', 'internal', '--timestamp', v.timestamp, '--nonce', v.nonce], {
      API_SECRET_KEY: v.secret,
    });
    expect(out.signature).toBe(v.signatureHex);
  });

  it('tem: the seed-003 L0.SHA1 header', () => {
    const v = vectors.tem_l0_sha1;
    const out = signJson([
      '--scheme',
      'tem',
      '--ak',
      v.accessKey,
      '--secret',
      v.secretKey,
      '--algorithm',
      'L0.SHA1',
      '--url',
      '/api/v1/x',
    ]);
    expect(out.headers.Authorization).toBe(`Bearer ${v.header}`);
  });

  it('xray and data-ts: the same signatures as the seeds’ Python functions', () => {
    const body = '{"timestamp": 1700000000, "stats": {"uptime": 86400, "load": 0.5}}';
    const python = execFileSync('python3', [
      '-c',
      `import hmac, hashlib, json, sys
data = json.loads(sys.argv[1])
print(hmac.new(b"s3cret", json.dumps(data, sort_keys=True).encode(), hashlib.sha256).hexdigest())
print(hmac.new(b"s3cret", f"{sys.argv[1]}{1700000000123}".encode(), hashlib.sha256).hexdigest())`,
      body,
    ])
      .toString()
      .trim()
      .split('\n');
    expect(signJson(['--scheme', 'xray', '--secret', 's3cret', '--body', body]).signature).toBe(python[0]);
    expect(
      signJson(['--scheme', 'data-ts', '--secret', 's3cret', '--body', body, '--timestamp', '1700000000123'])
        .signature,
    ).toBe(python[1]);
  });

  it('reads the body from a file and from standard input', () => {
    const body = '{"timestamp": 1700000000}';
    const fromArg = signJson([
      '--scheme',
      'data-ts',
      '--secret',
      's',
      '--body',
      body,
      '--timestamp',
      '1700000000000',
    ]).signature;
    const stdin = runCli(
      [
        'sign',
        '--scheme',
        'data-ts',
        '--secret',
        's',
        '--body',
        '@-',
        '--timestamp',
        '1700000000000',
        '--json',
      ],
      {
        input: body,
      },
    );
    expect(JSON.parse(stdin.stdout).signature).toBe(fromArg);
  });
});

describe('signet sign --explain', () => {
  it('shows the string to sign, the notes and a curl line', () => {
    const result = runCli([
      'sign',
      '--scheme',
      'internal',
      '--secret',
      'k',
      '--timestamp',
      '1700000000',
      '--nonce',
      'abc',
      '--explain',
    ]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('string to sign:  "nonce=abc&timestamp=1700000000"');
    expect(result.stdout).toMatch(/timestamp is \d+ s ago: OUTSIDE the default 300 s window/);
    expect(result.stdout).toContain("curl -X GET -H 'X-Signature: ");
  });

  it('hides the secret key in a tem string to sign unless --reveal', () => {
    const args = [
      'sign',
      '--scheme',
      'tem',
      '--ak',
      'ak1',
      '--secret',
      'topsecret',
      '--url',
      '/api/v1/nodes',
      '--timestamp',
      '1700000000',
    ];
    const hidden = runCli([...args, '--explain']);
    expect(hidden.stdout).toContain(
      'ak:ak1|sk:<secret key>|time:1700000000|method:GET|url:/api/v1/nodes|params:',
    );
    expect(hidden.stdout).not.toContain('topsecret');
    expect(runCli([...args, '--explain', '--reveal']).stdout).toContain('|sk:topsecret|');
  });
});

describe('signet sign: mistakes', () => {
  it.each([
    [['sign', '--scheme', 'nope'], /Allowed choices are xray, internal, data-ts, tem/],
    [['sign', '--scheme', 'xray'], /--secret \(the node api_secret\) is required/],
    [['sign', '--scheme', 'tem', '--ak', 'a', '--secret', 's'], /--url .* is required/],
    [
      ['sign', '--scheme', 'tem', '--ak', 'a', '--secret', 's', '--url', '/', '--algorithm', 'MD5'],
      /--algorithm must be one of/,
    ],
    [['sign', '--scheme', 'xray', '--secret', 's', '--body', '{"timestamp": 01}'], /invalid JSON at offset/],
  ])('%j exits non-zero with a clear message and no stack', (args, message) => {
    const result = runCli(args);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('the printed curl line works against a real server', () => {
  let server: Server;
  let base = '';
  const replay = new MemoryReplayStore();
  beforeAll(async () => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks);
        const verify =
          request.url === '/api/restart'
            ? verifyXray(body, request.headers['x-signature'] as string | undefined, {
                secret: 'node-secret',
              })
            : request.url?.startsWith('/api/v1/')
              ? verifyTem(
                  {
                    authorization: request.headers.authorization,
                    method: request.method ?? '',
                    url: request.url,
                    body: body.toString(),
                  },
                  {
                    resolveKey: (ak) =>
                      ak === 'ak1' ? { secretKey: 'sk1', algorithm: 'L3.SHA256' } : undefined,
                  },
                )
              : verifyInternal(request.headers, { secret: 'psk', replay });
        verify.then(
          () => response.writeHead(200).end('{"code": 20000}'),
          (error: { code: string }) => response.writeHead(401).end(error.code),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => server.close());

  // Asynchronous: the server answering it runs in this process.
  const curl = async (line: string) =>
    (await promisify(execFile)('sh', ['-c', `${line} -s -w ' %{http_code}'`])).stdout;

  it.each([
    ['internal', ['--scheme', 'internal', '--secret', 'psk', '--url', '/v1/internal/user/hello-world']],
    ['xray', ['--scheme', 'xray', '--secret', 'node-secret', '--url', '/api/restart']],
    [
      'tem',
      [
        '--scheme',
        'tem',
        '--ak',
        'ak1',
        '--secret',
        'sk1',
        '--method',
        'POST',
        '--url',
        '/api/v1/nodes',
        '--body',
        '{"name": "n1"}',
      ],
    ],
  ])('%s', async (_scheme, args) => {
    const withBase = args.map((arg) => (arg.startsWith('/') ? `${base}${arg}` : arg));
    const { curl: line } = signJson(withBase);
    expect(await curl(line)).toBe('{"code": 20000} 200');
  });

  it('a wrong secret is refused by the same server', async () => {
    const { curl: line } = signJson([
      '--scheme',
      'internal',
      '--secret',
      'wrong',
      '--url',
      `${base}/v1/internal/x`,
    ]);
    expect(await curl(line)).toBe('SIGNATURE_MISMATCH 401');
  });
});

describe('signet sign: secrets and URLs', () => {
  it('reads the secret from a file or the environment, keeping it out of argv', () => {
    const v = vectors.internal_nonce_hmac;
    const dir = mkdtempSync(join(tmpdir(), 'signet-sign-'));
    writeFileSync(join(dir, 'psk'), `${v.secret}\n`);
    const base = ['--scheme', 'internal', '--timestamp', v.timestamp, '--nonce', v.nonce];
    expect(signJson([...base, '--secret', `@${join(dir, 'psk')}`]).signature).toBe(v.signatureHex);
    expect(signJson([...base, '--secret', 'env:MY_PSK'], { MY_PSK: v.secret }).signature).toBe(
      v.signatureHex,
    );
  });

  it('tem signs the request target curl sends: path and query, no fragment', async () => {
    const args = [
      '--scheme',
      'tem',
      '--ak',
      'ak1',
      '--secret',
      'sk1',
      '--timestamp',
      '1700000000',
      '--explain',
      '--reveal',
    ];
    for (const [url, target] of [
      ['http://h:8080/api/v1/x?next=http://e.com/y', '/api/v1/x?next=http://e.com/y'],
      ['http://h:8080?page=2', '/?page=2'],
      ['http://h:8080/a#frag', '/a'],
    ]) {
      expect(runCli(['sign', ...args, '--url', url!]).stdout).toContain(`|url:${target}|params:`);
    }
  });

  it('masks an L0.PLAINTEXT signature (the secret itself) unless --reveal', () => {
    const args = [
      'sign',
      '--scheme',
      'tem',
      '--ak',
      'pingcap',
      '--secret',
      'pingcap-secret',
      '--algorithm',
      'L0.PLAINTEXT',
      '--url',
      '/x',
    ];
    expect(runCli(args).stdout).not.toContain('pingcap-secret');
    expect(runCli([...args, '--reveal']).stdout).toContain('TEM-AUTH:pingcap:pingcap-secret');
  });
});
