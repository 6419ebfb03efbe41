import { fileURLToPath } from "node:url";
import { defineProject } from "vitest/config";

export default defineProject({
  resolve: { alias: { "@": fileURLToPath(new URL("./src", import.meta.url)) } },
  test: {
    name: "web",
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // The browser tests are the web-e2e project (vitest.e2e.config.ts).
    exclude: ["**/node_modules/**", "test/e2e/**"],
    testTimeout: 30_000,
    hookTimeout: 240_000,
  },
});
