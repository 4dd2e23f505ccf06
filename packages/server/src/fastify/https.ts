import type { FastifyInstance } from 'fastify';
import { loadTlsFiles, type TlsFilePaths, type TlsPair, watchTlsFiles } from '../tls/tls-files.js';

/** Fastify's `https` option for a certificate pair (checked now), or none: plain HTTP. */
export function httpsOption(tls: TlsFilePaths | undefined): { https?: TlsPair } {
  return tls === undefined ? {} : { https: loadTlsFiles(tls) };
}

/**
 * Serves a renewed certificate without a restart (see `watchTlsFiles`); each reload attempt is
 * logged (default: the app's log, as a warning), a failed one naming the files. Stops watching when the app closes.
 */
export function reloadTlsOnChange(
  app: FastifyInstance,
  tls: TlsFilePaths | undefined,
  options: { intervalMs?: number | undefined; log?: (message: string) => void } = {},
): void {
  if (tls === undefined) return;
  const log = options.log ?? ((message: string) => app.log.warn(message));
  const stop = watchTlsFiles(app.server as unknown as Parameters<typeof watchTlsFiles>[0], tls, {
    ...(options.intervalMs === undefined ? {} : { intervalMs: options.intervalMs }),
    onReload: (outcome) =>
      log(
        outcome.ok
          ? `TLS certificate reloaded from ${tls.certPath}`
          : `TLS certificate not reloaded, the previous one stays in use: ${outcome.error.message}`,
      ),
  });
  app.addHook('onClose', async () => stop());
}
