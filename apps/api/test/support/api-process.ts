import { type ServiceProcess, startServiceProcess } from "@taskflow/db/testing";
import { inject } from "vitest";

export { freePort } from "@taskflow/db/testing";

export type ApiProcess = ServiceProcess;

/**
 * The API as the chart runs it, `node dist/server.mjs` (the bundle its image and `npm start` run; built for the test
 * run by bundle-setup.ts) configured only by its environment, on a free loopback port; resolves once
 * `/health/ready` answers 200.
 */
export function startApiProcess(env: Record<string, string>): Promise<ApiProcess> {
  return startServiceProcess({
    name: "the API",
    entry: inject("apiBundle"),
    env: () => env,
    readyPath: "/health/ready",
    readyWithinMs: 60_000,
  });
}
