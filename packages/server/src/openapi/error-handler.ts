import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { SignetAuthError } from '@signet/auth';
import { InvalidJsonBodyError } from '../fastify/raw-json-body.js';
import { V1_AUTH_FAILURE } from '../route-groups/auth-failure.js';
import { V1Error, type V1ErrorCode, v1CodeForStatus, v1Status } from '../route-groups/envelope.js';
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
  const { code, message } = describe(error);
  if (v1Status(code) >= 500) request.log.error({ err: error }, 'request failed');
  return reply.code(v1Status(code)).send(temFailure(code, message));
}

function describe(error: FastifyError | Error): { code: V1ErrorCode; message?: string } {
  if (error instanceof V1Error) return { code: error.code, message: error.message };
  if (error instanceof SignetAuthError) return { code: V1_AUTH_FAILURE[error.code] };
  if (error instanceof InvalidJsonBodyError) return { code: 40000, message: error.message };
  const fastifyError = error as Partial<FastifyError>;
  if (fastifyError.validation) return { code: 40000, message: error.message };
  const status = fastifyError.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) return { code: v1CodeForStatus(status) };
  return { code: 50000 };
}
