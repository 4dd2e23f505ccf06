import { STATUS_CODES } from 'node:http';
import { posix } from 'node:path';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { type V1ErrorCode, v1CodeForStatus, v1Failure, v1Status } from './envelope.js';
import { RouteGroupOptionsError } from './options.js';

export const ABNORMAL_PATH_MESSAGE =
  'the path must not contain encoded slashes, backslashes, empty segments or dot segments';

// A backslash, an empty segment, an encoded slash or backslash, or a `.`/`..` segment (also with a
// `;parameter`, which some proxies strip). Checked at every level of percent-decoding.
const ABNORMAL = /\\|\/\/|%2f|%5c|(?:^|\/)\.\.?(?:;[^/]*)?(?:\/|$)/i;
const MAX_DECODE_PASSES = 4;

/** The path of a request target (origin or absolute form), without the query. */
export function targetPath(url: string): string {
  const authority = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(url);
  const target = authority ? url.slice(authority[0].length) : url;
  const query = target.indexOf('?');
  return query === -1 ? target : target.slice(0, query);
}

// Byte-wise: only ASCII matters here (`.`, `/`, `\`, `%`), and it never throws on a lone `%`.
const decodeOnce = (path: string): string =>
  path.replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));

/**
 * True when a path could mean another path to a router or proxy that decodes or normalizes it:
 * encoded slashes or backslashes, backslashes, `//`, dot segments, at any depth of percent-encoding.
 */
export function isAbnormalPath(path: string): boolean {
  let current = path;
  for (let pass = 0; pass < MAX_DECODE_PASSES; pass++) {
    if (ABNORMAL.test(current)) return true;
    const decoded = decodeOnce(current);
    if (decoded === current) return false;
    current = decoded;
  }
  return true; // still encoded after that many passes: no honest client sends this
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** True when a path is, or after decoding and normalizing would be, under `prefix` (any case). */
export function isUnderPrefix(path: string, prefix: string): boolean {
  let decoded = path;
  for (let pass = 0; pass < MAX_DECODE_PASSES; pass++) decoded = decodeOnce(decoded);
  const normalized = posix.normalize(`/${decoded.replace(/\\/g, '/')}`);
  const under = new RegExp(`^${escapeRegExp(prefix)}(?:[/;]|$)`, 'i');
  return under.test(path) || under.test(normalized);
}

/** True when a path is, or after decoding and normalizing would be, under `/v1` (any case). */
export const isUnderV1 = (path: string): boolean => isUnderPrefix(path, '/v1');

/** A prefix and the failure body of its envelope (`v1Failure` for `/v1`, `temFailure` for the OpenAPI). */
export interface PrefixEnvelope {
  /** A path prefix such as `/v1` or `/api/v1`: a leading `/`, no trailing `/`. */
  readonly prefix: string;
  readonly failure: (code: V1ErrorCode, message?: string) => object;
}

const PREFIX = /^(?:\/[A-Za-z0-9._~-]+)+$/;

function checkPrefixEnvelope(value: PrefixEnvelope | undefined, name: string): PrefixEnvelope {
  if (typeof value?.prefix !== 'string' || !PREFIX.test(value.prefix)) {
    throw new RouteGroupOptionsError(`${name}: prefix must look like /api/v1 (no trailing slash)`);
  }
  if (typeof value.failure !== 'function') {
    throw new RouteGroupOptionsError(`${name}: failure must build the envelope's failure body`);
  }
  return { prefix: value.prefix, failure: value.failure };
}

// The one normal-form check, for any prefix: refuses 400/40000 in that prefix's envelope.
function guardHook({ prefix, failure }: PrefixEnvelope) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const path = targetPath(request.url);
    const under = isUnderPrefix(path, prefix) || request.routeOptions.url?.startsWith(prefix) === true;
    if (!under || !isAbnormalPath(path)) return;
    request.log.info({ path: { refused: 'not in normal form' } }, 'request refused');
    return reply.code(400).send(failure(40000, ABNORMAL_PATH_MESSAGE));
  };
}

/**
 * Refuses, with 400 in the prefix's envelope, every request under the prefix whose raw path is not
 * in normal form, so encoded slashes and dot segments can never move a request from one context to
 * another (find-my-way routes `/v1/public/../internal/x` to a `/v1/public/*` route and decodes
 * `%2e%2e`; a proxy in front may resolve them). Register it on the root instance: its onRequest
 * hook then runs for every route and not-found handler, before any authentication.
 */
export const pathGuard = fp<PrefixEnvelope>(
  async (app: FastifyInstance, options) => {
    app.addHook('onRequest', guardHook(checkPrefixEnvelope(options, 'pathGuard')));
  },
  { name: 'signet-path-guard', fastify: '5.x' },
);

const V1_ENVELOPE: PrefixEnvelope = { prefix: '/v1', failure: v1Failure };

/** The path guard for seed 001's `/v1`, answering in its `{code, message, data}` envelope. */
export const v1PathGuard = fp(
  async (app: FastifyInstance) => {
    app.addHook('onRequest', guardHook(V1_ENVELOPE));
  },
  { name: 'signet-v1-path-guard', fastify: '5.x' },
);

/**
 * For Fastify's `frameworkErrors` option: a target the router cannot decode (`/v1/%zz`) is
 * answered before any hook runs; this answers it in the envelope of the first prefix it falls
 * under, and as Fastify's default elsewhere.
 */
export function frameworkErrorsFor(envelopes: readonly PrefixEnvelope[]) {
  const checked = envelopes.map((envelope, i) => checkPrefixEnvelope(envelope, `frameworkErrorsFor[${i}]`));
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    const status = error.statusCode ?? 400;
    const path = targetPath(request.url);
    const envelope = checked.find(({ prefix }) => isUnderPrefix(path, prefix));
    if (envelope) {
      const code = v1CodeForStatus(status);
      void reply.code(v1Status(code)).send(envelope.failure(code));
      return;
    }
    void reply
      .code(status)
      .send({ error: STATUS_CODES[status], code: error.code, message: error.message, statusCode: status });
  };
}

/** `frameworkErrorsFor` with `/v1` only. */
export const v1FrameworkErrors = frameworkErrorsFor([V1_ENVELOPE]);
