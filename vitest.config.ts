import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';
import { playwright } from '@vitest/browser-playwright';
import { giambioTestServer } from './tests/browser/server.js';

// The node project runs everything under tests/ except the browser-only suites; the chromium and
// firefox projects run tests/browser/** in real browsers (Debian's chromium and firefox-esr, driven
// by Playwright; Firefox over WebDriver BiDi through the moz-firefox channel).
function browserProject(name: string, browser: 'chromium' | 'firefox', launchOptions: Record<string, unknown>): TestProjectInlineConfiguration {
  return {
    extends: true,
    plugins: [giambioTestServer()],
    test: {
      name,
      include: ['tests/browser/**/*.test.ts'],
      testTimeout: 30_000,
      browser: {
        enabled: true,
        headless: true,
        screenshotFailures: false,
        instances: [{ browser }],
        provider: playwright({ launchOptions }),
      },
    },
  };
}

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
      browserProject('chromium', 'chromium', { executablePath: '/usr/bin/chromium' }),
      browserProject('firefox', 'firefox', { channel: 'moz-firefox', executablePath: '/usr/bin/firefox-esr' }),
    ],
  },
});
