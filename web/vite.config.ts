// The web UI's build: React, into dist/web/ (served by the API server, src/http/web.ts).
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  plugins: [react()],
  // The server puts a fresh nonce in place of this placeholder in every answer of index.html;
  // Vite stamps its tags with it and adds <meta property="csp-nonce">, from which antd's
  // CSS-in-JS takes it (the CSP allows no inline style without it).
  html: { cspNonce: '__HUASHU_CSP_NONCE__' },
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    reportCompressedSize: false,
    // Which chunks each page and lazy screen loads: the build's size table (scripts/bundle-sizes.js).
    manifest: true,
  },
  server: { proxy: { '/api': { target: 'http://127.0.0.1:3000', ws: true } } },
});
