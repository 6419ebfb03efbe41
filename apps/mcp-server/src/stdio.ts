import { serveStdio } from "@modelcontextprotocol/server/stdio";
import { authenticateAgentKey, DomainError, schema } from "@taskflow/core";
import { databaseLocation, openDatabase } from "@taskflow/db";
import { EnvError, parseEnv } from "./env.ts";
import { createTaskflowMcpServer } from "./mcp-server-factory.ts";
import { bridgeSettings, runBridge } from "./stdio-bridge.ts";

// `taskflow-mcp`: MCP over stdio, two ways. With TASKFLOW_MCP_URL (an agent's machine, what the
// dashboard's /connect page hands out): relayed to the MCP server over HTTP with the agent's key or a
// personal access token (stdio-bridge.ts), nothing else needed. Without it (an operator on the
// database's own host): served straight from the database named by DATABASE_URL (or the embedded data
// folder), as the agent whose key TASKFLOW_API_KEY is; that URL opens every tenant's data, so it never
// belongs in an agent's configuration. Stdout carries the protocol: every message for people goes to stderr.
const fail = (message: string, code: number): never => {
  process.stderr.write(`taskflow-mcp: ${message}\n`);
  process.exit(code);
};

if (process.env.TASKFLOW_MCP_URL !== undefined) {
  const settings = bridgeSettings(process.env);
  if ("error" in settings) fail(settings.error, 78);
  else await runBridge(settings, (code) => process.exit(code));
} else {
  await serveFromDatabase();
}

async function serveFromDatabase(): Promise<void> {
  try {
    const config = parseEnv(process.env);
    const apiKey = process.env.TASKFLOW_API_KEY;
    if (!apiKey)
      fail("set TASKFLOW_API_KEY to the agent's API key (shown once when the agent was registered)", 78);
    const database = await openDatabase(databaseLocation(config.database), schema);
    let actor: Awaited<ReturnType<typeof authenticateAgentKey>>;
    try {
      actor = await authenticateAgentKey(database.db, apiKey as string, "mcp");
    } catch (error) {
      await database.close();
      if (error instanceof DomainError)
        fail("TASKFLOW_API_KEY is not a valid, unexpired, unrevoked agent key", 77);
      throw error;
    }
    // Both eras over one pipe: the client's first message picks it (`initialize`, or `server/discover` and
    // the per-request envelope of 2026-07-28), and one server, bound to this agent, serves the connection.
    const connection = serveStdio(
      () =>
        createTaskflowMcpServer({
          db: database.db,
          actor,
          scopes: null,
          leaseSeconds: config.leaseSeconds,
          delegationMaxDepth: config.delegationMaxDepth,
        }),
      { onerror: (error) => process.stderr.write(`taskflow-mcp: ${error.message}\n`) },
    );
    // The client closing its end is the end of the connection (the stdio transport's rule).
    process.stdin.once("end", () => void database.close().then(() => process.exit(0)));
    // A key revoked or expired while the agent runs stops working within half a minute.
    setInterval(() => {
      authenticateAgentKey(database.db, apiKey as string, "mcp").catch(async (error: unknown) => {
        if (!(error instanceof DomainError)) return;
        process.stderr.write("taskflow-mcp: the API key was revoked or has expired; stopping\n");
        await connection.close();
        process.exit(77);
      });
    }, 30_000).unref();
  } catch (error) {
    if (error instanceof EnvError) fail(error.message, 78);
    throw error;
  }
}
