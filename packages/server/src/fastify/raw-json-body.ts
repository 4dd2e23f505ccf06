import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyRequest {
    /** The request body exactly as received, for verifiers: signatures cover bytes, never objects. */
    rawBody: Buffer | null;
  }
}

/** Thrown for a body that is not UTF-8 JSON; routes map it to their envelope as a 400. */
export class InvalidJsonBodyError extends Error {
  override readonly name = 'InvalidJsonBodyError';
  readonly statusCode = 400;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The only body parser in its context: `application/json` (UTF-8) read as a buffer, the raw
 * bytes kept on `request.rawBody` (DESIGN principle 3). Every other content type is refused with
 * 415 by Fastify, so no body can reach a route without its bytes being what verifiers check. An
 * empty body is `undefined`, not an error, so GETs and bodiless POSTs pass.
 */
export const rawJsonBody = fp(
  async (app: FastifyInstance) => {
    app.decorateRequest('rawBody', null);
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body: Buffer, done) => {
      const charset = /charset=([^;\s]+)/i.exec(request.headers['content-type'] ?? '')?.[1]?.toLowerCase();
      if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
        return done(new InvalidJsonBodyError('the body must be UTF-8 JSON'), undefined);
      }
      request.rawBody = body;
      if (body.length === 0) return done(null, undefined);
      try {
        done(null, JSON.parse(utf8.decode(body)));
      } catch {
        done(new InvalidJsonBodyError('the body is not valid UTF-8 JSON'), undefined);
      }
    });
  },
  { name: 'signet-raw-json-body', fastify: '5.x' },
);
