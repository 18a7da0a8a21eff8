import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// One runner for everything: unit, namespace (real kernel), component and browser end-to-end tests.
// Two projects: everything in Node, and the renderer's component tests in jsdom with Svelte's browser build.
export default defineConfig({
  plugins: [svelte()],
  test: {
    pool: 'forks',
    setupFiles: ['test/setup/state-dir.ts', 'test/setup/file-handle-guard.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default'],
    projects: [
      { extends: true, test: { name: 'node', include: ['test/**/*.test.ts'], exclude: ['test/renderer/**'] } },
      {
        extends: true,
        resolve: { conditions: ['browser'] },
        test: { name: 'renderer', include: ['test/renderer/**/*.test.ts'], environment: 'jsdom' },
      },
    ],
  },
});
