import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { authenticateAgentKey, DomainError, schema } from "@taskflow/core";
import { databaseLocation, openDatabase } from "@taskflow/db";
import { EnvError, parseEnv } from "./env.ts";
import { createTaskflowMcpServer } from "./mcp-server-factory.ts";

// `npx taskflow-mcp`: MCP over stdio for an agent on a laptop. The agent's API key
// (TASKFLOW_API_KEY) says who it is; DATABASE_URL (or the embedded data folder) says where
// TaskFlow's data is. Stdout carries the protocol, so every message for people goes to stderr.
const fail = (message: string, code: number): never => {
  process.stderr.write(`taskflow-mcp: ${message}\n`);
  process.exit(code);
};

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
  const server = createTaskflowMcpServer({
    db: database.db,
    actor,
    scopes: null,
    leaseSeconds: config.leaseSeconds,
    delegationMaxDepth: config.delegationMaxDepth,
  });
  const transport = new StdioServerTransport();
  transport.onclose = () => void database.close().then(() => process.exit(0));
  await server.connect(transport);
  // A key revoked or expired while the agent runs stops working within half a minute.
  setInterval(() => {
    authenticateAgentKey(database.db, apiKey as string, "mcp").catch(async (error: unknown) => {
      if (!(error instanceof DomainError)) return;
      process.stderr.write("taskflow-mcp: the API key was revoked or has expired; stopping\n");
      await server.close();
      process.exit(77);
    });
  }, 30_000).unref();
} catch (error) {
  if (error instanceof EnvError) fail(error.message, 78);
  throw error;
}
