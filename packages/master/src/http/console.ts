import type { FastifyInstance } from 'fastify';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** Where `@signet/console`'s build is, or null when the package is not installed. */
export function defaultConsoleDir(): string | null {
  try {
    const manifest = createRequire(import.meta.url).resolve('@signet/console/package.json');
    return join(dirname(manifest), 'dist');
  } catch {
    return null;
  }
}

// The console is the only page this origin serves: it may load only its own files (QR codes are
// data: images, Chart.js sets inline styles), talk only to this origin, and is never framed.
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "img-src 'self' data:",
  "style-src 'self' 'unsafe-inline'",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

/**
 * Serves the web console's static build at `/`. The files are listed once at start (no wildcard
 * route), so nothing outside the build can be reached and every other path keeps the API's own
 * not-found answer. Hashed assets are cached for good; `index.html` is revalidated every time, so a
 * new build reaches browsers at once. Without a build, `/` says how to make one.
 */
export async function serveConsole(app: FastifyInstance, dir: string | null): Promise<void> {
  if (dir === null || !existsSync(join(dir, 'index.html'))) {
    app.get('/', async (_request, reply) =>
      reply
        .status(503)
        .type('text/plain; charset=utf-8')
        .send(
          'The web console is not built: run `npm run build` in the Signet checkout, then restart the master.\n',
        ),
    );
    return;
  }
  const { default: fastifyStatic } = await import('@fastify/static'); // only for a master that serves
  await app.register(fastifyStatic, {
    root: dir,
    prefix: '/',
    wildcard: false,
    index: ['index.html'],
    dotfiles: 'deny',
    setHeaders: (res, path) => {
      res.header('Content-Security-Policy', CONTENT_SECURITY_POLICY);
      res.header('X-Content-Type-Options', 'nosniff');
      res.header('Referrer-Policy', 'no-referrer');
      res.header(
        'Cache-Control',
        path.includes(`${join(dir, 'assets')}/`) ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  });
}
