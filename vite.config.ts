// Vite builds the web app (web/) into dist/web, which the server serves. In development, `npm run dev:web`
// proxies the API to a server started with `npm start`.
import path from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = import.meta.dirname;

export default defineConfig({
  root: path.join(here, 'web'),
  plugins: [react()],
  build: {
    outDir: path.join(here, 'dist/web'),
    emptyOutDir: true,
    sourcemap: true,
    // dist/web/.vite/manifest.json: the server finds the built stylesheet there for the pages it renders
    // itself (the public directory, src/server/web-stylesheet.ts).
    manifest: true,
  },
  css: {
    preprocessorOptions: {
      // NHS.UK frontend's own Sass raises deprecation warnings that are not ours to fix.
      scss: { quietDeps: true },
    },
  },
  server: {
    proxy: {
      '/api': 'http://localhost:3000',
      '/health': 'http://localhost:3000',
      // The public directory's pages are rendered by the server.
      '/directory': 'http://localhost:3000',
    },
  },
});
