// electron-vite: the desktop app's main process (with the monitor's utility-process entry), its preload
// and its renderer, into out/main, out/preload and out/renderer. The renderer is built from its own
// config (renderer/vite.config.ts) into the same folder `portwatch serve` serves: one bundle for both. Building needs only the electron package's
// version, not its runtime, so it runs on machines where Electron could not be downloaded.
import { defineConfig } from 'electron-vite';
import { fileURLToPath } from 'node:url';
import rendererConfig from './renderer/vite.config.js';

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  main: {
    build: {
      outDir: here('out/main'),
      emptyOutDir: true,
      sourcemap: false,
      rollupOptions: {
        input: {
          index: here('electron/main/index.ts'),
          'monitor-utility': here('electron/main/monitor-utility.ts'),
        },
        output: { format: 'es', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
      },
    },
  },
  preload: {
    build: {
      outDir: here('out/preload'),
      emptyOutDir: true,
      sourcemap: false,
      rollupOptions: {
        input: { index: here('electron/preload/index.ts') },
        // A sandboxed preload must be one CommonJS file: it can require only `electron` (and a few builtins).
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    ...rendererConfig,
    root: here('renderer'),
    // minify as plain `vite build` does (electron-vite's preset turns it off), so both builds give one bundle.
    build: { minify: true, ...rendererConfig.build, outDir: here('out/renderer'), rolldownOptions: { input: here('renderer/index.html') } },
  },
});
