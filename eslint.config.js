// Lint: typescript-eslint, React hooks, and the import boundaries of ARCHITECTURE.md.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

const boundary = (patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'db/migrations/**', 'coverage/**', '.test-data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', performance: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-empty': ['error', { allowEmptyCatch: true }],
    },
  },
  {
    files: ['src/**/*.tsx', 'src/client/**/*.ts', 'src/modules/*/ui/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules, 'react-hooks/set-state-in-effect': 'off' },
  },
  // shared/ is isomorphic and imports no other layer.
  {
    files: ['src/shared/**'],
    rules: boundary([{ regex: '\\.\\./(platform|modules|client|cli)/', message: 'src/shared imports nothing from platform, modules, client or cli.' }]),
  },
  // platform/ is plumbing: it imports no capability.
  {
    files: ['src/platform/**'],
    ignores: ['src/platform/**/*.test.ts'],
    rules: boundary([{ regex: '\\.\\./modules/', message: 'src/platform imports no module; pass what it needs from src/app.ts.' }]),
  },
  // A server file reaches another module only through its index.ts (schema.ts excepted, for foreign keys).
  {
    files: ['src/modules/*/*.ts'],
    ignores: ['src/modules/*/*.test.ts'],
    rules: boundary([
      { regex: '^\\.\\./[a-z-]+/(?!(index|schema)\\.ts$)', message: "Import another module only through its index.ts (or schema.ts for foreign keys)." },
      { regex: '\\.\\./client/', message: 'Server code does not import the client.' },
    ]),
  },
  // UI code imports only contract.ts, rules.ts and permissions.ts of modules, plus client/ and shared/.
  {
    files: ['src/modules/*/ui/**', 'src/client/**'],
    rules: boundary([
      { regex: '(^|/)platform/', message: 'UI code does not import the platform (server) layer.' },
      { regex: '(^|/)(service|queries|routes|schema|index|import)\\.ts$', message: 'UI code imports only contract.ts, rules.ts and permissions.ts of modules.' },
      { regex: '(^|/)cli/', message: 'UI code does not import the CLI.' },
    ]),
  },
);
