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
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] } },
  },
  {
    files: ['electron/common/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [NODE_BUILTINS, ELECTRON, layer(['node', 'server', 'main', 'preload', 'helper', 'renderer'], 'electron/common is imported by everyone and imports no other layer.')] }],
    },
  },
  {
    files: ['renderer/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [NODE_BUILTINS, ELECTRON, layer(['electron/node', 'electron/server', 'electron/main', 'electron/preload', 'electron/helper'], 'The renderer talks to the engine only through the contract in electron/common.')] }],
    },
  },
  {
    files: ['electron/node/**', 'electron/server/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [ELECTRON, layer(['main', 'preload', 'renderer'], 'The engine and the headless server run without Electron and without the UI.')] }],
    },
  },
  {
    files: ['electron/helper/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [ELECTRON, layer(['engine', 'sampler', 'server', 'main', 'preload', 'renderer'], 'The privileged helper stays small: no Electron, no engine.')] }],
    },
  },
  {
    files: ['electron/preload/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [NODE_BUILTINS, layer(['node', 'server', 'main', 'helper', 'renderer'], 'The preload exposes the contract and nothing else.')] }],
    },
  },
);
