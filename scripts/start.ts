// `npm start`: TaskFlow on its embedded default. Every service on this machine only (127.0.0.1) at its port, each
// database an embedded PostgreSQL (PGlite) under .taskflow/, mail to a dev mailbox, an account and the OAuth
// clients seeded. Nothing to configure; Ctrl-C stops everything; data is kept.
// A first start spends most of its minutes building the dashboard: the build runs while the SSO, the API and the
// MCP server start, and each service's address is printed as soon as it answers.
import { createServer } from "node:net";
import { parseEnv as parseApiEnv } from "../apps/api/src/env.ts";
import { startApi } from "../apps/api/src/start-api.ts";
import { parseEnv as parseMcpEnv } from "../apps/mcp-server/src/env.ts";
import { startMcp } from "../apps/mcp-server/src/start-mcp.ts";
import { parseEnv as parseSsoEnv, startSso } from "../apps/sso/src/index.ts";
import {
  embeddedSessionSecret,
  ensureWebBuilt,
  lastBuildSeconds,
  needsBuild,
  startWeb,
} from "../apps/web/launch.ts";
import { buildEstimate, clock, reportBuildProgress } from "./dashboard-build-progress.ts";

interface Running {
  name: string;
  stop(): Promise<void>;
}

const dataDir = process.env.TASKFLOW_DATA_DIR ?? ".taskflow";
const quiet = process.env.LOG_LEVEL ?? "warn";
// Loopback unless the person asks for more: the dev mailbox shows password-reset links, and the seeded account's
// password is printed below, so on a shared network 0.0.0.0 would hand both to anyone who can reach the ports.
const host = process.env.HOST || "127.0.0.1";
const loopbackOnly = ["127.0.0.1", "::1", "localhost"].includes(host);
const say = (message: string) => process.stdout.write(`${message}\n`);
/** What a person opens: the services' OAuth issuer, audiences and redirect URIs are all on localhost. */
const address = (port: number) => `http://localhost:${port}`;
const started = performance.now();
const sinceStart = () => clock((performance.now() - started) / 1000);

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
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}

const running: Running[] = [];
const build = new AbortController();
let stopping = false;
async function stopAll(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    say("\nstopping TaskFlow…");
    build.abort();
    for (const service of [...running].reverse()) {
      await service.stop().catch((error: unknown) => say(`  ${service.name}: ${String(error)}`));
      say(`  ${service.name} stopped`);
    }
  }
  process.exit(code);
}
process.on("SIGINT", () => void stopAll(0));
process.on("SIGTERM", () => void stopAll(0));

/** After Ctrl-C nothing more starts: stopAll stops what runs and exits. */
async function unlessStopping(): Promise<void> {
  if (stopping) await new Promise(() => undefined);
}

try {
  const env = {
    ...process.env,
    // Each service has its own port (3001, 8000, 8001, 3000); one PORT cannot serve four.
    PORT: undefined,
    HOST: host,
    TASKFLOW_DATA_DIR: dataDir,
    LOG_LEVEL: quiet,
    // On a laptop nothing balances load in front of the API: stop at once on Ctrl-C.
    SHUTDOWN_DELAY_SECONDS: process.env.SHUTDOWN_DELAY_SECONDS ?? "0",
  };
  const ssoConfig = parseSsoEnv(env);
  const apiConfig = parseApiEnv(env);
  const mcpConfig = parseMcpEnv(env);
  const webPort = 3000;
  await assertPortFree(ssoConfig.port, "sso-platform");
  await assertPortFree(apiConfig.port, "taskflow-api");
  await assertPortFree(mcpConfig.port, "mcp-server");
  await assertPortFree(webPort, "web-dashboard");

  say(
    loopbackOnly
      ? `Starting TaskFlow on this machine only (${host}): nothing answers on its network addresses.`
      : `Starting TaskFlow on ${host} (HOST): other machines can reach it.`,
  );
  let dashboardBuilt: Promise<unknown> = Promise.resolve();
  if (needsBuild()) {
    say(
      `[0/4] web-dashboard: building the dashboard (first start, or its sources changed): ${buildEstimate(lastBuildSeconds())}.\n` +
        "      The SSO, the API and the MCP server start meanwhile; each is usable as soon as its address is printed.",
    );
    const progress = reportBuildProgress(say);
    dashboardBuilt = ensureWebBuilt(process.env, progress.line, build.signal).finally(progress.done);
    // Awaited after the other three have started; until then a failure must not count as unhandled.
    dashboardBuilt.catch(() => undefined);
  }

  say(
    `[1/4] sso-platform: embedded database in ${dataDir}/sso-db, migrations, seeding the account and clients…`,
  );
  await unlessStopping();
  const sso = await startSso(ssoConfig);
  running.push({ name: "sso-platform", stop: sso.stop });
  const credentials = sso.sso.credentials;
  say(`      ✓ sso-platform ready: ${address(ssoConfig.port)} (sign in, accounts), after ${sinceStart()}`);
  if (credentials.adminEmail)
    say(`      Seeded sign-in: ${credentials.adminEmail} / ${credentials.adminPassword}`);
  say(
    `      Dev mailbox (verification, reset and notification mails): ${address(ssoConfig.port)}/dev/mailbox`,
  );

  say(`[2/4] taskflow-api: embedded database in ${apiConfig.database.dataDir}, migrations…`);
  await unlessStopping();
  const api = await startApi(apiConfig);
  running.push({ name: "taskflow-api", stop: api.stop });
  say(
    `      ✓ taskflow-api ready: ${address(apiConfig.port)} (docs: ${address(apiConfig.port)}/docs), after ${sinceStart()}`,
  );

  say("[3/4] mcp-server: sharing the API's database…");
  await unlessStopping();
  const mcp = await startMcp(mcpConfig, api.database);
  running.push({ name: "mcp-server", stop: mcp.stop });
  say(`      ✓ mcp-server ready: ${mcpConfig.resourceUrl} (agents), after ${sinceStart()}`);

  await dashboardBuilt;
  await unlessStopping();
  say("[4/4] web-dashboard: starting…");
  const web = await startWeb({
    port: webPort,
    host,
    env: {
      PUBLIC_URL: address(webPort),
      SSO_ISSUER: sso.issuer,
      API_URL: api.url,
      API_AUDIENCE: apiConfig.sso.audience,
      MCP_PUBLIC_URL: mcpConfig.resourceUrl,
      DASHBOARD_CLIENT_ID: credentials.dashboardClientId,
      DASHBOARD_CLIENT_SECRET: credentials.dashboardClientSecret ?? "",
      SESSION_SECRET: embeddedSessionSecret(dataDir),
      LOG_LEVEL: quiet,
    },
  });
  running.push({ name: "web-dashboard", stop: web.stop });
  say(`      ✓ web-dashboard ready: ${address(webPort)}, after ${sinceStart()}`);

  say(`\nTaskFlow is running (${loopbackOnly ? `this machine only: ${host}` : `on ${host}`}):`);
  say(`  Dashboard                 ${address(webPort)}`);
  say(`  SSO (sign in, accounts)   ${address(ssoConfig.port)}`);
  say(`  API                       ${address(apiConfig.port)}   docs: ${address(apiConfig.port)}/docs`);
  say(`  MCP (agents)              ${mcpConfig.resourceUrl}`);
  if (credentials.adminEmail)
    say(`\nSeeded sign-in: ${credentials.adminEmail} / ${credentials.adminPassword}`);
  say(`Dev mailbox (verification, reset and notification mails): ${address(ssoConfig.port)}/dev/mailbox`);
  say(`\nData lives in ${dataDir}/ and is kept between starts. Ctrl-C stops everything.`);
} catch (error) {
  if (!stopping) {
    say(`\nTaskFlow could not start: ${error instanceof Error ? error.message : String(error)}`);
    await stopAll(1);
  }
}
