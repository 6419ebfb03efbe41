import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "mcp",
    include: ["test/**/*.test.ts"],
    // Real-PostgreSQL-only tests (a server stopped and started) are the mcp-postgres project
    // (vitest.postgres.config.ts).
    exclude: ["**/node_modules/**", "test/**/*.postgres.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
