// `electron-vite build` → out/main (main process, ESM), out/preload (sandboxed preload, CJS)
// and out/renderer (the screen). The renderer part reuses vite.renderer.config.ts, the same
// build browser mode serves, so both ship the identical bundle. Building needs no Electron
// binary; only `electron-vite dev` and packaging do.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'electron-vite';
import { mergeConfig } from 'vite';
import renderer from './vite.renderer.config';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  main: {
    build: {
      outDir: here('./out/main'),
      // Named 'index' so the output is out/main/index.js, package.json's "main".
      rolldownOptions: { input: { index: here('./main/electron/main.ts') } },
    },
  },
  preload: {
    build: {
      outDir: here('./out/preload'),
      // Sandboxed preloads cannot load node_modules or ES modules: one self-contained CJS
      // file (it imports only 'electron', which stays external, and ./channels).
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: here('./preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: mergeConfig(renderer, {
    build: { rolldownOptions: { input: here('./renderer/index.html') } },
  }),
});
