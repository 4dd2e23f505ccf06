import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyRequest {
    /** The request body exactly as received, for verifiers: signatures cover bytes, never objects. */
    rawBody: Buffer | null;
  }
}

/** Thrown for a JSON body that does not parse; routes map it to their envelope as a 400. */
export class InvalidJsonBodyError extends Error {
  override readonly name = 'InvalidJsonBodyError';
  readonly statusCode = 400;
}

/**
 * Parses `application/json` bodies from a buffer, keeping the raw bytes on `request.rawBody`
 * (DESIGN principle 3). An empty body is `undefined`, not an error, so GETs and bodiless POSTs pass.
 */
export const rawJsonBody = fp(
  async (app: FastifyInstance) => {
    app.decorateRequest('rawBody', null);
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body: Buffer, done) => {
      request.rawBody = body;
      if (body.length === 0) return done(null, undefined);
      try {
        done(null, JSON.parse(body.toString('utf8')));
      } catch {
        done(new InvalidJsonBodyError('the body is not valid JSON'), undefined);
      }
    });
  },
  { name: 'signet-raw-json-body', fastify: '5.x' },
);
