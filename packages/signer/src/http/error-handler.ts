import type { FastifyError, FastifyInstance } from 'fastify';
import { SignetAuthError } from '@signet/auth';
import { AUTH_ERROR_STATUS, InvalidJsonBodyError } from '@signet/server';
import { SignerError } from '../errors.js';
import { failure } from './envelope.js';
import { SIGNER_ERROR_STATUS } from './error-status.js';

/**
 * Every failure leaves in seed 004's error envelope with its documented status. Messages are the
 * coded errors' own (which never hold key material); anything unexpected is logged and answered
 * generically.
 */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof SignerError) {
      return reply
        .status(SIGNER_ERROR_STATUS[error.code])
        .send(failure(error.code, error.message, { ...error.details }));
    }
    if (error instanceof SignetAuthError) {
      const status = AUTH_ERROR_STATUS[error.code];
      return reply
        .status(status)
        .send(failure(status === 401 ? 'UNAUTHORIZED' : error.code, error.message, { reason: error.code }));
    }
    if (error.validation) {
      return reply
        .status(400)
        .send(failure('INVALID_DATA_FORMAT', error.message, { in: error.validationContext ?? 'request' }));
    }
    if (
      error instanceof InvalidJsonBodyError ||
      error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ||
      error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY'
    ) {
      return reply
        .status(400)
        .send(
          failure('INVALID_DATA_FORMAT', 'the body must be a JSON document sent as application/json', {}),
        );
    }
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply
        .status(413)
        .send(failure('PAYLOAD_TOO_LARGE', 'requests are limited to 1 MB', { limitBytes: 1_048_576 }));
    }
    request.log.error({ err: { type: error.name, code: error.code } }, 'unexpected error');
    return reply.status(500).send(failure('SIGNATURE_FAILED', 'the request failed inside the service', {}));
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .status(404)
      .send(failure('NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`, {})),
  );
}
