import { defineProject } from "vitest/config";

// Tests of what a person runs first (the entries: npm ci, npm start, npm test, the bins and the images'
// commands) under the Node.js releases a newcomer has. scripts/run-tests.ts runs them once, in the PGlite pass.
export default defineProject({
  test: {
    name: "scripts",
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 300_000,
  },
});
