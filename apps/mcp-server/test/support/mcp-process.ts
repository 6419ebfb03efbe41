import { type ServiceProcess, startServiceProcess } from "@taskflow/db/testing";

export { freePort } from "@taskflow/db/testing";

/** The MCP endpoint is `${url}/mcp`. */
export type McpProcess = ServiceProcess;

/**
 * The MCP server as the chart runs it, `node src/server.ts` configured only by its environment,
 * on a free loopback port; resolves once `/health/ready` answers 200. Its Host allow-list names
 * that port unless `env` says otherwise.
 */
export function startMcpProcess(env: Record<string, string>): Promise<McpProcess> {
  return startServiceProcess({
    name: "the MCP server",
    entry: new URL("../../src/server.ts", import.meta.url).pathname,
    env: (port) => ({ ALLOWED_HOSTS: `127.0.0.1:${port}`, ...env }),
    readyPath: "/health/ready",
    readyWithinMs: 90_000,
  });
}
