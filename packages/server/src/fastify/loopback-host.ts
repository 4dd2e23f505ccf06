import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

const LOOPBACK_HOST = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d{1,5})?$/i;

/**
 * For a service that trusts loopback without authentication: a request must also name a loopback
 * Host, so a web page cannot reach it through DNS rebinding (the browser sends the attacker's
 * host name). Answers 403 through the service's error handler.
 */
export const loopbackHostOnly = fp(
  async (app: FastifyInstance, options: { reply: (host: string) => unknown }) => {
    app.addHook('onRequest', async (request, reply) => {
      const host = request.headers.host ?? '';
      if (!LOOPBACK_HOST.test(host)) return reply.status(403).send(options.reply(host));
    });
  },
  { name: 'signet-loopback-host', fastify: '5.x' },
);
