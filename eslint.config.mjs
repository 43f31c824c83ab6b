// Layering is enforced here: the core and shared code never reach for Electron, and the
// renderer never imports main-process code (it talks through the contract only).
import tseslint from 'typescript-eslint'

export default tseslint.config(
  // Workspace templates: code for the example loops to fix (the process-agent example's agent sits beside its own, and is linted).
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'resources/examples/workspaces/**', 'resources/examples/process-agent/*.js'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }]
    }
  },
  {
    files: ['src/main/core/**/*.ts', 'src/shared/**/*.ts', 'src/cli/**/*.ts', 'src/main/web/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'The core runs under plain Node: no electron here.' }] }]
    }
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: ['electron', 'better-sqlite3', 'react'], patterns: [{ group: ['node:*', '../main/*', '../renderer/*'], message: 'shared code is runtime-neutral' }] }
      ]
    }
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: ['electron'], patterns: [{ group: ['**/main/**', '**/preload/**', 'node:*'], message: 'the renderer talks to the core through the contract only' }] }
      ]
    }
  }
)
