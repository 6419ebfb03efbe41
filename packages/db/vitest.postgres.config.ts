import { defineProject } from "vitest/config";

// Tests that only a real PostgreSQL server can run (advisory locks between sessions):
// scripts/run-tests.ts runs this project in the PostgreSQL pass only.
export default defineProject({
  test: {
    name: "db-postgres",
    include: ["test/**/*.postgres.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
