import { defineProject } from "vitest/config";

// Tests that only a real PostgreSQL server can run (faults: the database stopped and started
// again, load): scripts/run-tests.ts runs this project in the PostgreSQL pass only.
export default defineProject({
  test: {
    name: "api-postgres",
    include: ["test/**/*.postgres.test.ts"],
    testTimeout: 180_000,
    hookTimeout: 120_000,
    // The API's bundle, for the tests that start it as the chart runs it (test/support/api-process.ts).
    globalSetup: ["test/support/bundle-setup.ts"],
    // Each file puts a server under load: one at a time on a shared machine.
    fileParallelism: false,
  },
});
