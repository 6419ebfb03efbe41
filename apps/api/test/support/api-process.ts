import { type ServiceProcess, startServiceProcess } from "@taskflow/db/testing";

export { freePort } from "@taskflow/db/testing";

export type ApiProcess = ServiceProcess;

/**
 * The API as the chart runs it, `node src/server.ts` configured only by its environment, on a
 * free loopback port; resolves once `/health/ready` answers 200.
 */
export function startApiProcess(env: Record<string, string>): Promise<ApiProcess> {
  return startServiceProcess({
    name: "the API",
    entry: new URL("../../src/server.ts", import.meta.url).pathname,
    env: () => env,
    readyPath: "/health/ready",
    readyWithinMs: 60_000,
  });
}
