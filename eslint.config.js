import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Dependencies flow one way: cli -> service -> server -> auth. No package reaches into another's
// files; auth imports no Signet package; server imports only auth; a service only auth and server.
// The console is a browser app beside them all: it talks to the master over HTTP and imports none.
const noDeepImports = {
  group: ['**/packages/*/src/**', '@signet/*/src/**', '@signet/*/dist/**'],
  message: 'Import a package by its name, never its files.',
};
const allowOnly = (allowed, message) => [
  'error',
  {
    patterns: [
      noDeepImports,
      { group: ['signet', 'signet/*', '@signet/*', ...allowed.map((name) => `!${name}`)], message },
    ],
  },
];

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'coverage/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        TextDecoder: 'readonly',
        TextEncoder: 'readonly',
        fetch: 'readonly',
        Headers: 'readonly',
      },
    },
    rules: {
      'no-restricted-imports': ['error', { patterns: [noDeepImports] }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { varsIgnorePattern: '^_', argsIgnorePattern: '^_' }],
    },
  },
  {
    // Tests index into fixtures they just built; a failed lookup fails the test either way.
    files: ['**/test/**'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off', '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['packages/auth/src/**'],
    rules: { 'no-restricted-imports': allowOnly([], 'auth depends on no other Signet package.') },
  },
  {
    files: ['packages/server/src/**'],
    rules: {
      'no-restricted-imports': allowOnly(['@signet/auth', '@signet/auth/*'], 'server builds on auth only.'),
    },
  },
  {
    files: ['packages/signer/src/**'],
    rules: {
      'no-restricted-imports': allowOnly(
        ['@signet/auth', '@signet/auth/*', '@signet/server'],
        'a service imports auth and server only; what services share moves down.',
      ),
    },
  },
  {
    files: ['packages/console/src/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat.recommended,
    languageOptions: { globals: globals.browser },
    rules: {
      ...reactHooks.configs.flat.recommended.rules,
      'react-hooks/exhaustive-deps': 'error',
      'no-restricted-imports': allowOnly([], 'the console imports no Signet package: it calls the API.'),
    },
  },
  {
    files: ['packages/console/vite.config.ts'],
    rules: { 'no-restricted-imports': allowOnly([], 'the console imports no Signet package.') },
  },
);
