import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Dependencies flow one way: cli -> service -> server -> auth. No package reaches into another's
// sources, and auth depends on no other Signet package.
const noDeepImports = {
  patterns: [
    {
      group: ['**/packages/*/src/**', '@signet/*/src/**', '@signet/*/dist/**'],
      message: 'Import a package by its name, never its files.',
    },
  ],
};

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
      },
    },
    rules: {
      'no-restricted-imports': ['error', noDeepImports],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { varsIgnorePattern: '^_', argsIgnorePattern: '^_' }],
    },
  },
  {
    // Tests index into fixtures they just built; a failed lookup fails the test either way.
    files: ['**/test/**'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    files: ['packages/auth/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          ...noDeepImports,
          paths: [
            { name: '@signet/server', message: 'auth depends on no other Signet package.' },
            { name: 'signet', message: 'auth depends on no other Signet package.' },
          ],
        },
      ],
    },
  },
  {
    files: ['packages/server/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { ...noDeepImports, paths: [{ name: 'signet', message: 'server never imports the cli.' }] },
      ],
    },
  },
);
