// The whole system for the end-to-end test, started the way `npm start` starts it (scripts/start.ts): the SSO,
// the API and the MCP server in this process on embedded databases in a temporary folder, real mail over SMTP on
// loopback, and the built dashboard (`next start`) as a child process.
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, chromium } from "playwright-core";
import { parseEnv as parseApiEnv } from "../../../api/src/env.ts";
import { startApi } from "../../../api/src/start-api.ts";
import { parseEnv as parseMcpEnv } from "../../../mcp-server/src/env.ts";
import { startMcp } from "../../../mcp-server/src/start-mcp.ts";
import { parseEnv as parseSsoEnv, startSso } from "../../../sso/src/index.ts";
import { ensureWebBuilt, startWeb } from "../../launch.ts";
import { startSmtp } from "./smtp.ts";

/** Builds the dashboard when there is no build or the sources changed since the last one. */
export async function ensureBuild(): Promise<void> {
  await ensureWebBuilt(process.env);
}

/** The dashboard's session secret in this stack (the benchmark reads its own session with it). */
export const sessionSecret = "session-secret-for-the-e2e-test-0123456789abcdef";
/** The dashboard's OAuth client secret in this stack (the e2e test checks a revoked refresh token with it). */
export const dashboardSecret = "dashboard-secret-for-the-e2e-test-0123";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

export async function startStack() {
  const dataDir = mkdtempSync(join(tmpdir(), "taskflow-web-e2e-"));
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const fn of stops.reverse()) await fn().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const [ssoPort, apiPort, mcpPort, webPort] = [
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    const host = "127.0.0.1";
    const ssoUrl = `http://${host}:${ssoPort}`;
    const apiUrl = `http://${host}:${apiPort}`;
    const mcpUrl = `http://${host}:${mcpPort}/mcp`;
    const webUrl = `http://${host}:${webPort}`;
    const smtp = await startSmtp();
    stops.push(smtp.close);
    // Nothing balances load in front of a test stack: stop at once, as `npm start` does.
    const common = { TASKFLOW_DATA_DIR: dataDir, LOG_LEVEL: "warn", HOST: host, SHUTDOWN_DELAY_SECONDS: "0" };
    const sso = await startSso(
      parseSsoEnv({
        ...common,
        NODE_ENV: "development",
        PORT: String(ssoPort),
        BETTER_AUTH_URL: ssoUrl,
        BETTER_AUTH_SECRET: "better-auth-secret-for-the-e2e-test-0123456789",
        ALLOWED_ORIGINS: webUrl,
        SMTP_HOST: host,
        SMTP_PORT: String(smtp.port),
        DASHBOARD_CLIENT_SECRET: dashboardSecret,
        DASHBOARD_REDIRECT_URIS: `${webUrl}/api/auth/callback`,
        API_AUDIENCE: apiUrl,
        MCP_RESOURCE_URL: mcpUrl,
      }),
    );
    stops.push(sso.stop);
    const api = await startApi(
      parseApiEnv({
        ...common,
        PORT: String(apiPort),
        SSO_ISSUER: ssoUrl,
        API_AUDIENCE: apiUrl,
        ALLOWED_ORIGINS: webUrl,
        DASHBOARD_CLIENT_ID: "taskflow-dashboard",
      }),
    );
    stops.push(api.stop);
    const mcp = await startMcp(
      parseMcpEnv({
        ...common,
        PORT: String(mcpPort),
        SSO_ISSUER: ssoUrl,
        MCP_RESOURCE_URL: mcpUrl,
        ALLOWED_HOSTS: `${host}:${mcpPort},localhost:${mcpPort}`,
      }),
      api.database,
    );
    stops.push(mcp.stop);

    const web = await startWeb({
      port: webPort,
      host,
      env: {
        PUBLIC_URL: webUrl,
        SSO_ISSUER: ssoUrl,
        API_URL: apiUrl,
        DASHBOARD_CLIENT_ID: "taskflow-dashboard",
        DASHBOARD_CLIENT_SECRET: dashboardSecret,
        SESSION_SECRET: sessionSecret,
        MCP_PUBLIC_URL: mcpUrl,
      },
    });
    stops.push(web.stop);
    return { ssoUrl, apiUrl, mcpUrl, webUrl, webPid: web.pid, smtp, webOutput: web.output, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Debian's Chromium, headless, as every browser test runs it (no sandbox: root in CI; nothing from the network). */
export function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({
    executablePath,
    args: [
      "--no-sandbox",
      "--headless",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}
