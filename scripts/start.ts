// `npm start`: TaskFlow on its embedded default. Every service on localhost at its port, each
// database an embedded PostgreSQL (PGlite) under .taskflow/, mail to a dev mailbox, an account and
// the OAuth clients seeded. Nothing to configure; Ctrl-C stops everything; data is kept.
import { createServer } from "node:net";
import { parseEnv as parseApiEnv } from "../apps/api/src/env.ts";
import { startApi } from "../apps/api/src/start-api.ts";
import { parseEnv as parseMcpEnv } from "../apps/mcp-server/src/env.ts";
import { startMcp } from "../apps/mcp-server/src/start-mcp.ts";
import { parseEnv as parseSsoEnv, startSso } from "../apps/sso/src/index.ts";
import { embeddedSessionSecret, ensureWebBuilt, needsBuild, startWeb } from "../apps/web/launch.ts";

interface Running {
  name: string;
  stop(): Promise<void>;
}

const dataDir = process.env.TASKFLOW_DATA_DIR ?? ".taskflow";
const quiet = process.env.LOG_LEVEL ?? "warn";
const say = (message: string) => process.stdout.write(`${message}\n`);

/** Fails with a message a person can act on, before anything has started. */
async function assertPortFree(port: number, service: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "EADDRINUSE") return reject(error);
      reject(
        new Error(
          `port ${port} is already in use, and ${service} needs it.\n` +
            `  Find what holds it: lsof -i :${port}   (or: ss -ltnp 'sport = :${port}')\n` +
            "  Stop it (or a TaskFlow that is already running) and start again.",
        ),
      );
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
  // On a laptop nothing balances load in front of the API: stop at once on Ctrl-C.
  const env = {
    ...process.env,
    // Each service has its own port (3001, 8000, 8001, 3000); one PORT cannot serve four.
    PORT: undefined,
    TASKFLOW_DATA_DIR: dataDir,
    LOG_LEVEL: quiet,
    SHUTDOWN_DELAY_SECONDS: process.env.SHUTDOWN_DELAY_SECONDS ?? "0",
  };
  const ssoConfig = parseSsoEnv(env);
  const apiConfig = parseApiEnv(env);
  const mcpConfig = parseMcpEnv(env);
  await assertPortFree(ssoConfig.port, "sso-platform");
  await assertPortFree(apiConfig.port, "taskflow-api");
  await assertPortFree(mcpConfig.port, "mcp-server");
  const webPort = 3000;
  await assertPortFree(webPort, "web-dashboard");
  if (needsBuild()) {
    say("[0/4] web-dashboard: building the dashboard (first start or changed sources; a minute or two)…");
    await ensureWebBuilt(process.env, (line) => say(`      ${line}`));
  }

  say(
    `[1/4] sso-platform: embedded database in ${dataDir}/sso-db, migrations, seeding the account and clients…`,
  );
  const sso = await startSso(ssoConfig);
  running.push({ name: "sso-platform", stop: sso.stop });

  say(`[2/4] taskflow-api: embedded database in ${apiConfig.database.dataDir}, migrations…`);
  const api = await startApi(apiConfig);
  running.push({ name: "taskflow-api", stop: api.stop });

  say("[3/4] mcp-server: sharing the API's database…");
  const mcp = await startMcp(mcpConfig, api.database);
  running.push({ name: "mcp-server", stop: mcp.stop });

  const credentials = sso.sso.credentials;
  say("[4/4] web-dashboard…");
  const web = await startWeb({
    port: webPort,
    host: "0.0.0.0",
    env: {
      PUBLIC_URL: `http://localhost:${webPort}`,
      SSO_ISSUER: sso.issuer,
      API_URL: api.url,
      API_AUDIENCE: apiConfig.sso.audience,
      MCP_PUBLIC_URL: `${mcp.url}/mcp`,
      DASHBOARD_CLIENT_ID: credentials.dashboardClientId,
      DASHBOARD_CLIENT_SECRET: credentials.dashboardClientSecret ?? "",
      SESSION_SECRET: embeddedSessionSecret(dataDir),
      LOG_LEVEL: quiet,
    },
  });
  running.push({ name: "web-dashboard", stop: web.stop });

  say("\nTaskFlow is running:");
  say(`  Dashboard                 ${web.url}`);
  say(`  SSO (sign in, accounts)   http://localhost:${ssoConfig.port}`);
  say(`  API                       ${api.url}   docs: ${api.url}/docs`);
  say(`  MCP (agents)              ${mcp.url}/mcp`);
  if (credentials.adminEmail)
    say(`\nSeeded sign-in: ${credentials.adminEmail} / ${credentials.adminPassword}`);
  say(`Dev mailbox (verification and reset mails): http://localhost:${ssoConfig.port}/dev/mailbox`);
  say(`\nData lives in ${dataDir}/ and is kept between starts. Ctrl-C stops everything.`);
} catch (error) {
  say(`\nTaskFlow could not start: ${error instanceof Error ? error.message : String(error)}`);
  await stopAll(1);
}
