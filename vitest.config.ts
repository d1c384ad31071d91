import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    // Builds dist/ (only when a source is newer) for the CLI tests that run `node dist/cli/main.js`.
    globalSetup: ['test/cli/global-setup.ts'],
  },
});
