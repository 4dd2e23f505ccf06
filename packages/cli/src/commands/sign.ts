import { type Command, Option } from 'commander';
import { readBodyArgument, readSecretArgument } from '../lib/input.js';
import { curlLine } from '../lib/curl.js';
import { SIGN_SCHEMES, type SignedRequest } from './sign-schemes.js';

interface SignOptions {
  scheme: string;
  secret?: string;
  ak?: string;
  algorithm?: string;
  method?: string;
  url?: string;
  body?: string;
  timestamp?: string;
  nonce?: string;
  explain?: boolean;
  reveal?: boolean;
  json?: boolean;
}

export function registerSign(program: Command): void {
  program
    .command('sign')
    .description(
      'Sign a request and show the exact string to sign, the signature, the headers and a curl line',
    )
    .addOption(
      new Option('--scheme <scheme>', 'signature scheme')
        .choices(Object.keys(SIGN_SCHEMES))
        .makeOptionMandatory(),
    )
    .option(
      '--secret <secret>',
      'the secret: VALUE, @file, @- (stdin) or env:NAME (node api_secret, pre-shared key, API_SECRET_KEY or secret key); internal and data-ts default to $API_SECRET_KEY',
    )
    .option('--ak <accessKey>', 'tem: the access key')
    .option(
      '--algorithm <algorithm>',
      'tem: L3.SHA256 (default), L3.SHA1, L3.HMAC-SHA256, L0.SHA1, L0.PLAINTEXT',
    )
    .option('--method <method>', 'HTTP method')
    .option('--url <url>', 'request URL (tem signs its path and query)')
    .option('--body <json>', 'the body: text, @file, or @- for standard input')
    .option('--timestamp <t>', 'timestamp to sign (seconds; milliseconds for data-ts); default now')
    .option('--nonce <nonce>', 'internal: the nonce; default 16 random bytes in hex')
    .option('--explain', 'also print what was signed, why, and whether the timestamp is fresh')
    .option('--reveal', 'print the string to sign with the secret in it, where the scheme includes it')
    .option('--json', 'print one JSON object')
    .addHelpText(
      'after',
      '\nExample:\n  signet sign --scheme internal --secret my-secret-key --url http://127.0.0.1:8080/v1/internal/user/hello-world --explain',
    )
    .action(async (options: SignOptions) => {
      const scheme = SIGN_SCHEMES[options.scheme];
      if (!scheme) throw new Error(`unknown scheme ${options.scheme}`);
      const usesApiSecret = options.scheme === 'internal' || options.scheme === 'data-ts';
      const secret = options.secret === undefined ? undefined : await readSecretArgument(options.secret);
      const signed = scheme({
        secret: secret ?? (usesApiSecret ? process.env.API_SECRET_KEY : undefined),
        method: options.method?.toUpperCase(),
        url: options.url,
        body: options.body === undefined ? undefined : await readBodyArgument(options.body),
        timestamp: options.timestamp,
        nonce: options.nonce,
        accessKey: options.ak,
        algorithm: options.algorithm,
        now: Date.now(),
      });
      process.stdout.write(render(options, signed));
    });
}

function render(options: SignOptions, input: SignedRequest): string {
  const signed = options.reveal || !input.signatureIsSecret ? input : redactSignature(input);
  const stringToSign = options.reveal ? signed.stringToSign : signed.redactedStringToSign;
  const curl = curlLine(signed.method, signed.url, signed.headers, signed.body);
  if (options.json) {
    const out = {
      scheme: options.scheme,
      stringToSign,
      signature: signed.signature,
      headers: signed.headers,
      curl,
      notes: signed.notes,
    };
    return `${JSON.stringify(out)}\n`;
  }
  const lines: string[] = [];
  if (options.explain) {
    lines.push(`scheme:          ${options.scheme}`);
    lines.push(
      `string to sign:  ${stringToSign === '' ? '(none: this algorithm does not sign the request)' : JSON.stringify(stringToSign)}`,
    );
  }
  lines.push(`signature:       ${signed.signature}`);
  lines.push('headers:');
  for (const [name, value] of Object.entries(signed.headers)) lines.push(`  ${name}: ${value}`);
  if (options.explain) {
    lines.push('notes:');
    for (const note of signed.notes) lines.push(`  - ${note}`);
  }
  lines.push('curl:');
  lines.push(`  ${curl}`);
  return `${lines.join('\n')}\n`;
}

/** L0.PLAINTEXT's signature is the secret key: masked everywhere unless --reveal. */
function redactSignature(signed: SignedRequest): SignedRequest {
  const mask = (text: string) => text.split(signed.signature).join('<secret key: add --reveal>');
  return {
    ...signed,
    signature: mask(signed.signature),
    headers: Object.fromEntries(Object.entries(signed.headers).map(([name, value]) => [name, mask(value)])),
  };
}
