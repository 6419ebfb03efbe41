import { defineProject } from "vitest/config";

// Tests that only a real PostgreSQL server can run (faults: the database stopped and started
// again): scripts/run-tests.ts runs this project in the PostgreSQL pass only.
export default defineProject({
  test: {
    name: "mcp-postgres",
    include: ["test/**/*.postgres.test.ts"],
    testTimeout: 180_000,
    hookTimeout: 120_000,
    // Each file runs servers of its own: one at a time on a shared machine.
    fileParallelism: false,
  },
});
