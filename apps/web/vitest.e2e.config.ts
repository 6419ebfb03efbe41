import { fileURLToPath } from "node:url";
import { defineProject } from "vitest/config";

// The end-to-end tests (a real browser against the services started the way `npm start` starts them, on
// embedded databases of their own): scripts/run-tests.ts runs them once, in the PGlite pass.
export default defineProject({
  resolve: { alias: { "@": fileURLToPath(new URL("./src", import.meta.url)) } },
  test: {
    name: "web-e2e",
    include: ["test/e2e/**/*.e2e.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 240_000,
  },
});
