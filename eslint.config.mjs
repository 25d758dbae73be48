import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'out/', 'node_modules/', '.tools/', '.vscode-test/', 'examples/', 'test/fixtures/', 'test-results/'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    // The engine is pure: it takes file contents and settings and returns data. No I/O, no LSP, no VS Code.
    files: ['server/src/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['vscode', 'fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'child_process', 'node:child_process', 'net', 'node:net', 'http', 'node:http', 'https', 'node:https', 'worker_threads', 'node:worker_threads'],
          patterns: ['vscode-languageserver*', 'vscode-languageclient*', 'vscode-jsonrpc*', '**/lsp/**', '**/workspace/**', '**/client/**'],
        },
      ],
      'no-restricted-globals': ['error', 'process', 'require'],
    },
  },
  {
    files: ['**/*.mjs', 'scripts/**'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);
