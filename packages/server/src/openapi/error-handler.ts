import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { describeError } from '../route-groups/describe-error.js';
import { v1Status } from '../route-groups/envelope.js';
import { temFailure } from './envelope.js';

/** Unknown routes in the OpenAPI's envelope (set it inside the auth context: 401 until signed). */
export async function temNotFound(_request: FastifyRequest, reply: FastifyReply) {
  return reply.code(404).send(temFailure(40400));
}

/** Every error in the OpenAPI context as the TEM envelope; 5xx logged, their details never sent. */
export async function temErrorHandler(
  error: FastifyError | Error,
  request: FastifyRequest,
  reply: FastifyReply,
) {
  const { code, message } = describeError(error);
  if (v1Status(code) >= 500) request.log.error({ err: error }, 'request failed');
  return reply.code(v1Status(code)).send(temFailure(code, message));
}
