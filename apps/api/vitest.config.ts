import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "api",
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // The schemathesis run is the api-fuzz project (vitest.fuzz.config.ts); real-PostgreSQL-only
    // tests are the api-postgres project (vitest.postgres.config.ts).
    exclude: ["**/node_modules/**", "test/**/*.fuzz.test.ts", "test/**/*.postgres.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // The API's bundle, for the tests that start it as the chart runs it (test/support/api-process.ts).
    globalSetup: ["test/support/bundle-setup.ts"],
  },
});
