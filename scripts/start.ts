// `npm start`: TaskFlow on its embedded default. Every service on localhost at its port, each
// database an embedded PostgreSQL (PGlite) under .taskflow/, nothing to configure.
import { createServer } from "node:net";
import { parseEnv as parseApiEnv } from "../apps/api/src/env.ts";
import { startApi } from "../apps/api/src/start-api.ts";

interface Running {
  name: string;
  url: string;
  stop(): Promise<void>;
}

const dataDir = process.env.TASKFLOW_DATA_DIR ?? ".taskflow";

function say(message: string): void {
  process.stdout.write(`${message}\n`);
}

/** Fails with a message a person can act on, before anything has started. */
async function assertPortFree(port: number, service: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EADDRINUSE") {
        reject(
          new Error(
            `port ${port} is already in use, and ${service} needs it.\n` +
              `  Find what holds it: lsof -i :${port}   (or: ss -ltnp 'sport = :${port}')\n` +
              "  Stop it, or a TaskFlow that is already running, and start again.",
          ),
        );
      } else reject(error);
    });
    probe.listen(port, "0.0.0.0", () => probe.close(() => resolve()));
  });
}

const running: Running[] = [];
let stopping = false;

async function stopAll(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    say("\nstopping TaskFlow…");
    for (const service of [...running].reverse()) {
      await service.stop().catch((error: unknown) => say(`  ${service.name}: ${String(error)}`));
      say(`  ${service.name} stopped`);
    }
  }
  process.exit(code);
}
process.on("SIGINT", () => void stopAll(0));
process.on("SIGTERM", () => void stopAll(0));

try {
  const apiConfig = parseApiEnv({
    ...process.env,
    TASKFLOW_DATA_DIR: dataDir,
    LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
  });
  await assertPortFree(apiConfig.port, "taskflow-api");

  say(`[1/1] starting taskflow-api (embedded database in ${apiConfig.database.dataDir}; migrations first)…`);
  const api = await startApi(apiConfig);
  running.push({ name: "taskflow-api", url: api.url, stop: api.stop });

  say("\nTaskFlow is running:");
  say(`  API            ${api.url}        (docs: ${api.url}/docs)`);
  say(`\nData lives in ${dataDir}/ and is kept between starts. Ctrl-C stops everything.`);
} catch (error) {
  say(`\nTaskFlow could not start: ${error instanceof Error ? error.message : String(error)}`);
  await stopAll(1);
}
