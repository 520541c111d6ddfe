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
    rolldownOptions: {
      output: {
        // Every page's libraries in two chunks that change only when a library does (React and
        // the router; antd and the rest the first page needs), so that an update of the app's
        // own code leaves them cached. What only a lazily loaded screen needs (antd's table,
        // date pickers, forms) stays with those screens (split by Rolldown as it sees fit).
        codeSplitting: {
          groups: [
            {
              name: 'react',
              test: /node_modules[\\/](react|react-dom|scheduler|react-router)[\\/]/,
              priority: 2,
            },
            { name: 'libs', test: /node_modules[\\/]/, tags: ['$initial'], priority: 1 },
          ],
        },
      },
    },
  },
  server: { proxy: { '/api': { target: 'http://127.0.0.1:3000', ws: true } } },
});
