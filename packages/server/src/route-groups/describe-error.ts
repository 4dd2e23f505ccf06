import type { FastifyError } from 'fastify';
import { SignetAuthError } from '@signet/auth';
import { InvalidJsonBodyError } from '../fastify/raw-json-body.js';
import { V1_AUTH_FAILURE } from './auth-failure.js';
import { V1Error, type V1ErrorCode, v1CodeForStatus } from './envelope.js';

/**
 * The envelope code (and, where it is safe to send, the message) of any error a `/v1` or OpenAPI
 * route can raise: coded errors as they are, auth failures generic, validation with its message,
 * other 4xx by status, and everything else a 500 without details. Both envelopes render this.
 */
export function describeError(error: FastifyError | Error): { code: V1ErrorCode; message?: string } {
  if (error instanceof V1Error) return { code: error.code, message: error.message };
  if (error instanceof SignetAuthError) return { code: V1_AUTH_FAILURE[error.code] };
  if (error instanceof InvalidJsonBodyError) return { code: 40000, message: error.message };
  const fastifyError = error as Partial<FastifyError>;
  if (fastifyError.validation) return { code: 40000, message: error.message };
  const status = fastifyError.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) return { code: v1CodeForStatus(status) };
  return { code: 50000 };
}
