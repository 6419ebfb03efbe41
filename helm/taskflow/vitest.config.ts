import { defineProject } from "vitest/config";

// The chart's tests: real helm 4, kube-score and checkov (scripts/install-chart-tools.sh installs them).
export default defineProject({
  test: {
    name: "chart",
    include: ["tests/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
