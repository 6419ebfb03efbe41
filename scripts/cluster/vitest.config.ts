import { defineProject } from "vitest/config";

// The cluster suite (project `cluster`): the chart on a real Kubernetes cluster (scripts/cluster/up.sh).
// scripts/run-tests.ts runs it through scripts/cluster/run.sh, inside the cluster's network, one file at a time
// (each installs its own release, and the machine has two CPUs).
export default defineProject({
  test: {
    name: "cluster",
    include: ["test/**/*.test.ts"],
    fileParallelism: false,
    testTimeout: 15 * 60_000,
    hookTimeout: 20 * 60_000,
  },
});
