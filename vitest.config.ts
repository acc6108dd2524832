import { defineConfig } from 'vitest/config';
import { SummaryReporter } from './test/support/summaryReporter.js';

// Tests are named by cost (*.unit / *.int / *.e2e); `npm test` runs all of them, as CI does.
export default defineConfig({
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
