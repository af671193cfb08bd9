// The linter the TypeScript ecosystem expects: ESLint's and typescript-eslint's recommended
// rules, with formatting left to Prettier (eslint-config-prettier turns off what would clash).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.gen/', 'cdktf.out/', 'cdktf.out.run-*/', '.magnum-cdktf/', '.tmp/', '.toolchain/', 'docs/api/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    languageOptions: { globals: { require: 'readonly', module: 'writable', process: 'readonly', console: 'readonly', __dirname: 'readonly' } },
    rules: {
      // Unused names are a mistake, except an argument or binding named `_…` that says it is unused on purpose.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // bench/run.ts preloads this file into every node process it measures (NODE_OPTIONS=--require), so it stays a
    // CommonJS script, which `--require` loads on every Node the project runs on, and a script's only way to a
    // builtin module there is require(). Jest loads test/support/sequencer.js (its testSequencer) with require() too.
    files: ['bench/peak-rss.js', 'test/support/sequencer.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
