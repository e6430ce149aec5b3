import { defineConfig } from "@playwright/test";

// Debian's Chromium, never a downloaded browser (these machines cannot download one).
const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

export default defineConfig({
  testDir: "tests/e2e",
  // Starts the backend (offline models) and the built app once; see tests/e2e/stack.ts.
  globalSetup: "./tests/e2e/global-setup.ts",
  globalTimeout: 1_800_000,
  outputDir: "test-results/artifacts",
  // One backend and one web server for the whole run, shared by the tests in order.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 120_000,
  expect: { timeout: 30_000 },
  reporter: [["list"]],
  // Benchmarks print figures and run only through `npm run bench`.
  grepInvert: process.env.BENCH ? undefined : /@bench/,
  use: {
    browserName: "chromium",
    launchOptions: {
      executablePath: CHROMIUM,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
    screenshot: "only-on-failure",
    trace: "off",
  },
});
