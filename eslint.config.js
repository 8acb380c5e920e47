// Lint, including the rooms of ARCHITECTURE.md: each process's code may import only what its
// room allows (like Signal Desktop's and VS Code's layer rules). tests/unit/lint proves these
// rules fire.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { builtinModules } from 'node:module';

const electronMessage =
  "Only main/electron (the shell) and preload/index.ts may import 'electron'.";
const electronBan = { name: 'electron', message: electronMessage };
// 'electron/main', 'electron/renderer' and 'electron/common' are the same module.
const electronSubpaths = { group: ['electron/*'], message: electronMessage };
const noMainShell = {
  group: ['**/main/electron/**', '**/electron/**'],
  message: 'The shell is the outermost layer; nothing imports it.',
};
const noRenderer = { group: ['**/renderer/**'], message: 'main never imports the renderer.' };
const noWeb = {
  group: ['**/main/web/**', '**/web/**'],
  message: 'core must not import browser mode.',
};
const noMain = {
  group: ['**/main/**'],
  message: 'The renderer never imports main; use the contract.',
};
// Every Node built-in, bare or node:-prefixed, and anchored, so that a renderer file that
// happens to share a built-in's name (./events, ./stream) is not mistaken for one.
// (\x2F is '/': the same source also goes into an esquery selector, which cannot hold '/'.)
const builtinNames = builtinModules
  .filter((m) => !m.startsWith('_'))
  .map((m) => m.replace('/', '\\x2F'));
const builtinsRegex = `^(node:.*|(${builtinNames.join('|')})(\\x2F.*)?)$`;
const nodeBuiltins = {
  regex: builtinsRegex,
  message: 'The renderer is a sandboxed web page: no Node built-ins.',
};

// no-restricted-imports does not see import(): the same bans for dynamic imports.
const dynamicImport = (regex, message) => ({
  selector: `ImportExpression[source.value=/${regex}/]`,
  message,
});
const noDynamicElectron = dynamicImport('^electron(\\x2F|$)', electronMessage);

export const rooms = [
  {
    files: ['main/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [electronBan], patterns: [electronSubpaths, noMainShell, noRenderer, noWeb] },
      ],
      'no-restricted-syntax': ['error', noDynamicElectron],
    },
  },
  {
    files: ['main/web/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [electronBan], patterns: [electronSubpaths, noMainShell, noRenderer] },
      ],
      'no-restricted-syntax': ['error', noDynamicElectron],
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
        { paths: [electronBan], patterns: [electronSubpaths, noMain, nodeBuiltins] },
      ],
      'no-restricted-syntax': [
        'error',
        noDynamicElectron,
        dynamicImport('(^|\\x2F)main\\x2F', noMain.message),
        dynamicImport(builtinsRegex, nodeBuiltins.message),
      ],
    },
  },
  {
    files: ['preload/**/*.ts'],
    ignores: ['preload/index.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [electronBan], patterns: [electronSubpaths, noMain, noRenderer, nodeBuiltins] },
      ],
      'no-restricted-syntax': ['error', noDynamicElectron],
    },
  },
  {
    // The preload runs sandboxed: it cannot load node_modules, and its bundle must stay
    // tiny. It may import 'electron', ./channels, and only types from ./contract (whose
    // values would pull zod in). The TS variant of the rule can tell type imports apart.
    files: ['preload/index.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!electron$|\\./channels$|\\./contract$)',
              caseSensitive: true,
              message:
                'The sandboxed preload imports only electron, ./channels and types from ./contract.',
            },
            {
              regex: '^\\./contract$',
              caseSensitive: true,
              allowTypeImports: true,
              message:
                "Type-only: the contract's schemas (zod) cannot load in the sandboxed preload.",
            },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: 'ImportExpression',
          message: 'The sandboxed preload cannot load modules at run time.',
        },
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
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
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
