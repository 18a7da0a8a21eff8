import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// The renderer build: one static bundle for `portwatch serve` and (later) the Electron window. Relative
// asset paths so file:// works too; no inline scripts or styles, so the CSP can stay 'self' only.
// A file: URL to a path without node:url (this folder is the browser's; its lint forbids node:* imports).
const here = (rel: string): string => decodeURIComponent(new URL(rel, import.meta.url).pathname);

export default defineConfig({
  root: here('.'),
  base: './',
  plugins: [svelte()],
  build: {
    outDir: here('../out/renderer'),
    emptyOutDir: true,
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    target: 'es2022',
    sourcemap: false,
  },
});
