// Lint: typescript-eslint's recommended rules, Svelte's, and the import rules that keep each folder
// in its runtime (see README "Architecture"): who may import whom is part of the design.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';

const NODE_BUILTINS = { group: ['node:*'], message: 'This folder runs without Node.js: no node:* imports.' };
const ELECTRON = { regex: '^electron(/(main|renderer|common|utility))?$', message: 'Only electron/main and electron/preload may import Electron.' };
const layer = (names, message) => ({ group: names.flatMap((n) => [`**/${n}/**`, `**/${n}`]), message });

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'build/Release/**', 'node_modules/**', 'test-results/**', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-control-regex': 'off',
    },
  },
  {
    // One way to write numbers (electron/common/format.ts), and no Intl on a command's start-up path (its
    // first use costs ~15 ms). Tests may use Intl as an independent oracle.
    files: ['electron/**', 'renderer/**'],
    rules: {
      'no-restricted-properties': ['error', { property: 'toLocaleString', message: 'Use formatCount and friends from electron/common/format.ts.' }],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] } },
  },
  // Who may import whom (docs/architecture.md): common ← node ← server ← cli; node ← desktop ← main;
  // common ← helper, preload, renderer. Each block lists every layer its folder must not reach.
  {
    files: ['electron/common/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [NODE_BUILTINS, ELECTRON, layer(['node', 'cli', 'desktop', 'server', 'main', 'preload', 'helper', 'renderer'], 'electron/common is imported by everyone and imports no other layer.')] }],
    },
  },
  {
    files: ['renderer/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [NODE_BUILTINS, ELECTRON, layer(['electron/node', 'electron/cli', 'electron/desktop', 'electron/server', 'electron/main', 'electron/preload', 'electron/helper'], 'The renderer talks to the engine only through the contract in electron/common.')] }],
    },
  },
  {
    files: ['electron/node/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [ELECTRON, layer(['cli', 'desktop', 'server', 'main', 'preload', 'renderer'], 'electron/node is the engine: it imports electron/common (and the helper\'s own protocol definitions), so the CLI, the server and the desktop app can all use it.')] }],
    },
  },
  {
    files: ['electron/server/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [ELECTRON, layer(['cli', 'desktop', 'main', 'preload', 'helper', 'renderer'], 'The headless server runs without Electron and without the UI: it imports the engine and common only.')] }],
    },
  },
  {
    files: ['electron/cli/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [ELECTRON, layer(['desktop', 'main', 'preload', 'helper', 'renderer'], 'The CLI is an entry point over the engine and the server; the desktop app is not part of it.')] }],
    },
  },
  {
    files: ['electron/desktop/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [ELECTRON, layer(['cli', 'server', 'main', 'preload', 'helper', 'renderer'], 'electron/desktop is the Electron-free half of the desktop app: it imports the engine and common, never Electron, the CLI or the server.')] }],
    },
  },
  {
    files: ['electron/main/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [layer(['cli', 'server', 'helper', 'renderer'], 'electron/main composes the desktop controllers (electron/desktop), the engine and common; the CLI, the server and the helper are separate programs.')] }],
    },
  },
  {
    files: ['electron/helper/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [ELECTRON, layer(['node', 'cli', 'desktop', 'server', 'main', 'preload', 'renderer'], 'The privileged helper stays small: it imports only electron/common, never Electron or the engine.')] }],
    },
  },
  {
    files: ['electron/preload/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [NODE_BUILTINS, layer(['node', 'cli', 'desktop', 'server', 'main', 'helper', 'renderer'], 'The preload exposes the contract and nothing else.')] }],
    },
  },
);
