import { EnvError, parseEnv } from "./env.ts";
import { startMcp } from "./start-mcp.ts";

// The MCP server process: parse the environment once, listen, drain on SIGTERM / SIGINT.
try {
  const mcp = await startMcp(parseEnv(process.env));
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`${signal}: draining taskflow-mcp\n`);
    await mcp.stop();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
} catch (error) {
  if (error instanceof EnvError) {
    process.stderr.write(`taskflow-mcp cannot start: ${error.message}\n`);
    process.exit(78);
  }
  throw error;
}
