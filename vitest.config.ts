import { configDefaults, defineConfig } from 'vitest/config';

// Tests that measure how responsive the machine stays (the inspector's frame times under 10,000
// requests a second) run in a pass of their own after the rest, so that they do not share 2 cores
// with a hundred other test files: `npm test` ends with `npm run test:alone`.
const ALONE = ['test/inspector/browser-scale.test.ts'];
const alonePass = process.env.KAFKALAB_TEST_PASS === 'alone';

export default defineConfig({
  test: {
    include: alonePass ? ALONE : ['test/**/*.test.ts'],
    exclude: alonePass ? configDefaults.exclude : [...configDefaults.exclude, ...ALONE],
    testTimeout: 60_000,
    // Builds dist/ (only when a source is newer) for the CLI tests that run `node dist/cli/main.js`.
    globalSetup: ['test/cli/global-setup.ts'],
  },
});
