import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "db",
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // Real-PostgreSQL-only tests are the db-postgres project (vitest.postgres.config.ts).
    exclude: ["**/node_modules/**", "**/*.postgres.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
