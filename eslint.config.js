// Lint, including the rooms of ARCHITECTURE.md: each process's code may import only what its
// room allows (like Signal Desktop's and VS Code's layer rules). tests/unit/lint proves these
// rules fire.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const electronBan = {
  name: 'electron',
  message: "Only main/electron (the shell) and preload/index.ts may import 'electron'.",
};
const noMainShell = {
  group: ['**/main/electron/**', '**/electron/**'],
  message: 'The shell is the outermost layer; nothing imports it.',
};
const noRenderer = { group: ['**/renderer/**'], message: 'main never imports the renderer.' };
const noWeb = { group: ['**/main/web/**', '**/web/**'], message: 'core must not import browser mode.' };
const noMain = { group: ['**/main/**'], message: 'The renderer never imports main; use the contract.' };
const nodeBuiltins = {
  group: ['node:*', 'fs', 'path', 'child_process', 'os', 'net', 'http', 'https', 'crypto'],
  message: 'The renderer is a sandboxed web page: no Node built-ins.',
};

export const rooms = [
  {
    files: ['main/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [electronBan], patterns: [noMainShell, noRenderer, noWeb] },
      ],
    },
  },
  {
    files: ['main/web/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [electronBan], patterns: [noMainShell, noRenderer] },
      ],
    },
  },
  {
    files: ['main/electron/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [noRenderer, noWeb] }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [electronBan], patterns: [noMain, nodeBuiltins] },
      ],
    },
  },
  {
    files: ['preload/**/*.ts'],
    ignores: ['preload/index.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [electronBan], patterns: [noMain, noRenderer, nodeBuiltins] },
      ],
    },
  },
  {
    // The preload runs sandboxed: only electron and type-only imports of the contract.
    files: ['preload/index.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [noMain, noRenderer, nodeBuiltins] },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports' }],
    },
  },
];

export default tseslint.config(
  { ignores: ['node_modules', 'out', 'dist', 'coverage', 'test-results', '.lab'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}', 'tests/unit/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  ...rooms,
);
