import type { FastifyInstance } from 'fastify';
import type { SignerMetrics } from '../metrics.js';

export interface SecurityInfo {
  readonly authRequired: boolean;
  readonly maxAgeSeconds: number;
  readonly encryptionKeyFingerprint: string;
  readonly apiSecretKeyFingerprints: readonly string[];
}

/** /metrics (Prometheus) and /security-info (seed 002, without the key it used to print). */
export async function operationRoutes(
  app: FastifyInstance,
  { metrics, security }: { metrics: SignerMetrics; security: SecurityInfo },
): Promise<void> {
  app.get('/metrics', async (_request, reply) => {
    reply.type(metrics.registry.contentType);
    return metrics.registry.metrics();
  });

  app.get(
    '/security-info',
    {
      schema: {
        response: {
          200: {
            type: 'object',
            properties: {
              signature_format: { type: 'string' },
              timestamp_format: { type: 'string' },
              max_age: { type: 'integer' },
              headers: { type: 'object', additionalProperties: { type: 'string' } },
              auth_required: { type: 'boolean' },
              encryption_key_fingerprint: { type: 'string' },
              api_secret_key_fingerprints: { type: 'array', items: { type: 'string' } },
            },
          },
        },
      },
    },
    async () => ({
      signature_format: 'HMAC-SHA256(data + timestamp, API_SECRET_KEY)',
      timestamp_format: 'milliseconds since epoch',
      max_age: security.maxAgeSeconds * 1000,
      headers: { signature: 'X-Signature', timestamp: 'X-Timestamp' },
      auth_required: security.authRequired,
      encryption_key_fingerprint: security.encryptionKeyFingerprint,
      api_secret_key_fingerprints: security.apiSecretKeyFingerprints,
    }),
  );
}
