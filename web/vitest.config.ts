import { defineConfig } from 'vitest/config'

// Unit tests of the front end's logic (Node, no browser).
export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts'],
    environment: 'node',
  },
})
