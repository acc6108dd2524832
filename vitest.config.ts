import { defineConfig } from 'vitest/config';
import { SummaryReporter } from './test/support/summaryReporter.js';

// Tests are named by cost (*.unit / *.int / *.e2e); `npm test` runs all of them, as CI does.
export default defineConfig({
  // graphql 16 has no "exports" map: Node (and every library it loads) gets index.js, while
  // Vite would pick the "module" build. Two copies break `instanceof` checks; use Node's.
  resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
  test: {
    include: ['**/*.{unit,int,e2e}.test.ts'],
    exclude: ['node_modules/**', '.tmp/**'],
    globalSetup: ['test/support/globalSetup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores: integration files run two at a time against the shared PostgreSQL and broker.
    maxWorkers: 2,
    reporters: ['default', new SummaryReporter()],
  },
});
