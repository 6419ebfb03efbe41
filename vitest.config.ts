import { defineConfig } from "vitest/config";

// One Vitest run covers every workspace. scripts/run-tests.ts runs it once per database
// (PGlite, then the real PostgreSQL named by TEST_DATABASE_URL) and adds up the results.
// `*.postgres.test.ts` files need a real server (they stop and start one, or load one): each
// workspace's `vitest.postgres.config.ts` (project `<name>-postgres`) runs them, in the
// PostgreSQL pass only.
export default defineConfig({
  test: {
    projects: [
      "packages/*",
      "apps/*",
      "helm/*",
      "apps/*/vitest.postgres.config.ts",
      "packages/*/vitest.postgres.config.ts",
      // the dashboard in a real browser against the whole system (project web-e2e)
      "apps/web/vitest.e2e.config.ts",
      // schemathesis against the API (project api-fuzz), where the tool is installed
      "apps/api/vitest.fuzz.config.ts",
      // the entries a person runs first, under older Node.js releases (project scripts)
      "scripts/vitest.config.ts",
      // the chart on a real Kubernetes cluster (project cluster): scripts/run-tests.ts runs it inside the
      // cluster's network (scripts/cluster/run.sh)
      "scripts/cluster/vitest.config.ts",
    ],
  },
});
