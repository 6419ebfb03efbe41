import { defineConfig } from "vitest/config";

// One Vitest run covers every workspace. scripts/run-tests.ts runs it once per database
// (PGlite, then the real PostgreSQL named by TEST_DATABASE_URL) and adds up the results.
export default defineConfig({
  test: {
    projects: ["packages/*", "apps/*", "helm/*"],
  },
});
