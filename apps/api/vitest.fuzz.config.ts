import { defineProject } from "vitest/config";

// The API under schemathesis (PyPI): a project of its own, so scripts/run-tests.ts can leave it out
// where the tool is not installed (and require it in CI), as it does the chart suite without helm.
export default defineProject({
  test: {
    name: "api-fuzz",
    include: ["test/**/*.fuzz.test.ts"],
    testTimeout: 10 * 60_000,
    hookTimeout: 120_000,
  },
});
