// Lint rules that keep module boundaries honest (see ../shared/STYLE.md, "Public surface on purpose").
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { readdirSync } from 'node:fs';

// The architecture's direction (DESIGN §2–3): platform knows nothing above it; contexts know
// neither the gateway nor the contracts; a context reaches another only through its index.ts.
const contextFolders = readdirSync(new URL('./subgraphs', import.meta.url), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
const boundaryZones = [
  { target: './platform', from: ['./subgraphs', './gateway', './contracts'], message: 'platform/ is generic: it imports nothing from subgraphs/, gateway/ or contracts/.' },
  { target: './subgraphs', from: ['./gateway', './contracts'], message: 'A context knows neither the gateway nor the contracts built on it.' },
  // The catalog web app runs in a browser: it reads the catalog API (its types generated from the
  // schema), never a server module, which would drag Node code into the bundle.
  { target: './gateway/catalog/app', from: ['./gateway', './platform', './subgraphs', './contracts'], except: ['./catalog/app'], message: 'The catalog web app (browser code) imports only its own folder and npm packages; it reads the server through the catalog API.' },
  ...contextFolders.flatMap((context) =>
    contextFolders
      .filter((other) => other !== context)
      .map((other) => ({ target: `./subgraphs/${context}`, from: `./subgraphs/${other}`, except: ['./index.ts'], message: `subgraphs/${context} may use subgraphs/${other} only through its index.ts (its public surface).` })),
  ),
];

export default tseslint.config(
  { ignores: ['node_modules/**', '**/generated/**', '.tmp/**', 'dist/**'] },
  ...tseslint.configs.recommended,
  {
    // .tsx: the catalog web app (gateway/catalog/app/, its own tsconfig with DOM types and Preact's JSX).
    files: ['**/*.ts', '**/*.tsx'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/ignore': ['node_modules'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/resolver-next': [createTypeScriptImportResolver()],
    },
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-default-export': 'error',
      'import-x/no-restricted-paths': ['error', { zones: boundaryZones }],
      // A folder's internals are reached through its index.ts only.
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['**/platform/*/*', '!**/platform/*/index.js'], message: 'Import platform modules through their index.ts.' },
          { group: ['**/subgraphs/*/*', '!**/subgraphs/*/index.js'], message: 'Import a context through its index.ts.' },
        ],
      }],
    },
  },
  {
    files: ['**/*.config.ts', 'codegen.ts', 'test/support/globalSetup.ts'],
    rules: { 'import-x/no-default-export': 'off' },
  },
);
