import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** The signer's Prometheus metrics, in a registry of its own (no global state). Labels carry no secrets. */
export function createSignerMetrics() {
  const registry = new Registry();
  return {
    registry,
    signs: new Counter({
      name: 'signet_signer_signs_total',
      help: 'Signing attempts by platform and result (success or error code)',
      labelNames: ['platform', 'result'] as const,
      registers: [registry],
    }),
    signSeconds: new Histogram({
      name: 'signet_signer_sign_duration_seconds',
      help: 'Time to sign, by platform',
      labelNames: ['platform'] as const,
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05],
      registers: [registry],
    }),
    accounts: new Gauge({
      name: 'signet_signer_accounts',
      help: 'Accounts loaded, by platform',
      labelNames: ['platform'] as const,
      registers: [registry],
    }),
    reloads: new Counter({
      name: 'signet_signer_config_reloads_total',
      help: 'Credentials reloads by result',
      labelNames: ['result'] as const,
      registers: [registry],
    }),
  };
}

export type SignerMetrics = ReturnType<typeof createSignerMetrics>;
