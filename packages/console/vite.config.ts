import { defineConfig } from 'vite';

// No framework plugin: esbuild compiles the TSX (tsconfig "jsx": "react-jsx"); the dev server
// reloads the page on a change. `npm run dev -w @signet/console` proxies the API to a running master.
export default defineConfig({
  base: './',
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 700 },
  server: {
    proxy: { '/v1': process.env['SIGNET_MASTER_URL'] ?? 'http://127.0.0.1:8080' },
  },
});
