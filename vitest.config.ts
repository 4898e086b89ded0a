import { defineConfig } from 'vitest/config';

// The node project runs everything under tests/ except the browser-only suites.
export default defineConfig({
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          environment: 'node',
          include: ['tests/**/*.test.ts'],
          exclude: ['tests/browser/**'],
          testTimeout: 30_000,
        },
      },
    ],
  },
});
