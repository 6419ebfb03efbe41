import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "api",
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // Real-PostgreSQL-only tests: vitest.postgres.config.ts.
    exclude: ["**/node_modules/**", "test/**/*.postgres.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
