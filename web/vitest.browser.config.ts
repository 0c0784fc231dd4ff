import { defineConfig } from 'vitest/config'

// Browser tests: Debian's Chromium driven by playwright-core against a
// `weaver serve` of the demo register (tests/browser/server.ts starts it).
export default defineConfig({
  test: {
    include: ['tests/browser/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['tests/browser/server.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // One browser at a time: the machine is small and the pages share one server.
    fileParallelism: false,
  },
})
