// The SSO, the API and the MCP server running for real, as `npm start` runs them (scripts/start.ts): the
// API and the MCP server started by their own entry points (startApi, startMcp: the same wiring,
// revocation feed included), sharing one database, verifying tokens against the real SSO's JWKS.
import { parseEnv as parseApiEnv } from "../../../api/src/env.ts";
import { startApi } from "../../../api/src/start-api.ts";
import { startTestSso, type TestSso } from "../../../sso/test/helpers.ts";
import { parseEnv as parseMcpEnv } from "../../src/env.ts";
import { startMcp } from "../../src/start-mcp.ts";
import { databaseForChild } from "./child-database.ts";

export const stackAdmin = { email: "boss@example.test", password: "the administrator passphrase" };
export const dashboardClient = {
  id: "taskflow-dashboard",
  secret: "dashboard-secret-for-the-stack-0123",
  redirect: "http://127.0.0.1:9/api/auth/callback",
};

async function freePort(): Promise<number> {
  const { createServer } = await import("node:net");
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

export interface RealStack {
  sso: TestSso;
  apiUrl: string;
  mcpUrl: string;
  close(): Promise<void>;
}

/** Starts the three services on loopback; `env` is added to the API's and the MCP server's environment. */
export async function startRealStack(env: Record<string, string> = {}): Promise<RealStack> {
  const [apiPort, mcpPort] = [await freePort(), await freePort()];
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const mcpUrl = `http://127.0.0.1:${mcpPort}/mcp`;
  const sso = await startTestSso({
    ADMIN_EMAIL: stackAdmin.email,
    ADMIN_PASSWORD: stackAdmin.password,
    REQUIRE_EMAIL_VERIFICATION: "false",
    API_AUDIENCE: apiUrl,
    MCP_RESOURCE_URL: mcpUrl,
    DASHBOARD_CLIENT_ID: dashboardClient.id,
    DASHBOARD_CLIENT_SECRET: dashboardClient.secret,
    DASHBOARD_REDIRECT_URIS: dashboardClient.redirect,
  });
  const database = await databaseForChild();
  const common = {
    ...database.env,
    HOST: "127.0.0.1",
    LOG_LEVEL: "warn",
    SHUTDOWN_DELAY_SECONDS: "0",
    SSO_ISSUER: sso.issuer,
    SSO_JWKS_URL: sso.jwksUrl,
    ...env,
  };
  const api = await startApi(parseApiEnv({ ...common, PORT: String(apiPort), API_AUDIENCE: apiUrl }));
  const mcp = await startMcp(
    parseMcpEnv({
      ...common,
      PORT: String(mcpPort),
      MCP_RESOURCE_URL: mcpUrl,
      ALLOWED_HOSTS: `127.0.0.1:${mcpPort}`,
    }),
    // One process owns an embedded database: the MCP server shares the API's, as under `npm start`.
    api.database,
  );
  return {
    sso,
    apiUrl,
    mcpUrl,
    close: async () => {
      await mcp.stop();
      await api.stop();
      await sso.close();
      await database.cleanup();
    },
  };
}
