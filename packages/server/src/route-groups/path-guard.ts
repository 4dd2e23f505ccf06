import { STATUS_CODES } from 'node:http';
import { posix } from 'node:path';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { v1CodeForStatus, v1Failure, v1Status } from './envelope.js';

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

/** True when a path is, or after decoding and normalizing would be, under `/v1` (any case). */
export function isUnderV1(path: string): boolean {
  let decoded = path;
  for (let pass = 0; pass < MAX_DECODE_PASSES; pass++) decoded = decodeOnce(decoded);
  const normalized = posix.normalize(`/${decoded.replace(/\\/g, '/')}`);
  return /^\/v1(?:[/;]|$)/i.test(path) || /^\/v1(?:[/;]|$)/i.test(normalized);
}

/**
 * Refuses, with 400 in the `/v1` envelope, every request under `/v1` whose raw path is not in
 * normal form, so encoded slashes and dot segments can never move a request from one route group
 * to another (find-my-way routes `/v1/public/../internal/x` to a `/v1/public/*` route and decodes
 * `%2e%2e`; a proxy in front may resolve them). Register it on the root instance: its onRequest
 * hook then runs for every route and not-found handler, before any group's authentication.
 */
export const v1PathGuard = fp(
  async (app: FastifyInstance) => {
    app.addHook('onRequest', async (request, reply) => {
      const path = targetPath(request.url);
      const underV1 = isUnderV1(path) || request.routeOptions.url?.startsWith('/v1') === true;
      if (!underV1 || !isAbnormalPath(path)) return;
      request.log.info({ path: { refused: 'not in normal form' } }, 'request refused');
      return reply.code(400).send(v1Failure(40000, ABNORMAL_PATH_MESSAGE));
    });
  },
  { name: 'signet-v1-path-guard', fastify: '5.x' },
);

/**
 * For Fastify's `frameworkErrors` option: a target the router cannot decode (`/v1/%zz`) is
 * answered before any hook runs; this answers it in the envelope under `/v1`, and as Fastify's
 * default elsewhere.
 */
export function v1FrameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const status = error.statusCode ?? 400;
  if (isUnderV1(targetPath(request.url))) {
    const code = v1CodeForStatus(status);
    void reply.code(v1Status(code)).send(v1Failure(code));
    return;
  }
  void reply
    .code(status)
    .send({ error: STATUS_CODES[status], code: error.code, message: error.message, statusCode: status });
}
