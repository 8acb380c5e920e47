// Builds the renderer (the one screen) into out/renderer. The same bundle is loaded by Electron
// (app:// protocol) and by browser mode (main/web serves it), so paths are relative.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  root: here('./renderer'),
  base: './',
  plugins: [react()],
  build: {
    outDir: here('./out/renderer'),
    emptyOutDir: true,
    target: 'chrome120',
    // The CSP (script-src 'self') forbids inline scripts; Chromium has modulepreload natively.
    modulePreload: { polyfill: false },
    // CSP style-src 'self': keep every asset a file, never a data: URL or inline blob.
    assetsInlineLimit: 0,
  },
});
