import { defineConfig } from '@playwright/test'
import { chromiumArgs, chromiumPath } from './scripts/browser.mjs'

const executablePath = chromiumPath()

// Two cores: at most two workers, and tests await events instead of sleeping.
export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  testIgnore: ['**/node_modules/**'],
  workers: process.env.CI ? 1 : 2,
  retries: 0,
  timeout: 30_000,
  forbidOnly: !!process.env.CI,
  reporter: [['list'], ['json', { outputFile: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ?? '.reports/playwright.json' }]],
  outputDir: '.reports/playwright',
  use: {
    browserName: 'chromium',
    headless: true,
    launchOptions: { args: chromiumArgs, ...(executablePath ? { executablePath } : {}) },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },
})
