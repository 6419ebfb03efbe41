import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "../src/env.ts";

const SECRET = "s".repeat(40);

function errorOf(source: Record<string, string | undefined>): EnvError {
  try {
    parseEnv(source);
  } catch (error) {
    if (error instanceof EnvError) return error;
    throw error;
  }
  throw new Error("parseEnv accepted the environment");
}

describe("parseEnv", () => {
  it("refuses production without BETTER_AUTH_SECRET, naming it", () => {
    const error = errorOf({ NODE_ENV: "production", BETTER_AUTH_URL: "https://sso.example.test" });
    expect(error.issues.map((issue) => issue.variable)).toContain("BETTER_AUTH_SECRET");
    expect(error.message).toContain("BETTER_AUTH_SECRET");
  });

  it("refuses a BETTER_AUTH_SECRET shorter than 32 characters in production", () => {
    const error = errorOf({
      NODE_ENV: "production",
      BETTER_AUTH_URL: "https://sso.example.test",
      BETTER_AUTH_SECRET: "too-short-secret",
    });
    expect(error.issues).toEqual([
      { variable: "BETTER_AUTH_SECRET", message: "must be at least 32 characters in production" },
    ]);
  });

  it("reads SHUTDOWN_DELAY_SECONDS (default 3, 0 allowed) and names a bad one", () => {
    expect(parseEnv({}).shutdownDelaySeconds).toBe(3);
    expect(parseEnv({ SHUTDOWN_DELAY_SECONDS: "0" }).shutdownDelaySeconds).toBe(0);
    expect(parseEnv({ SHUTDOWN_DELAY_SECONDS: "1.5" }).shutdownDelaySeconds).toBe(1.5);
    for (const bad of ["-1", "soon", "600"]) {
      expect(errorOf({ SHUTDOWN_DELAY_SECONDS: bad }).issues.map((issue) => issue.variable)).toEqual([
        "SHUTDOWN_DELAY_SECONDS",
      ]);
    }
  });

  it("names every bad variable at once", () => {
    const error = errorOf({
      NODE_ENV: "production",
      PORT: "not-a-port",
      BETTER_AUTH_SECRET: "short",
      SMTP_PORT: "99999",
      API_AUDIENCE: "not a url",
      EXTRA_OAUTH_CLIENTS: "[{]",
      REQUIRE_EMAIL_VERIFICATION: "perhaps",
    });
    const names = error.issues.map((issue) => issue.variable);
    for (const name of [
      "PORT",
      "BETTER_AUTH_SECRET",
      "SMTP_PORT",
      "API_AUDIENCE",
      "REQUIRE_EMAIL_VERIFICATION",
    ]) {
      expect(names).toContain(name);
    }
  });

  it("accepts a complete production environment", () => {
    const config = parseEnv({
      NODE_ENV: "production",
      PORT: "3001",
      DATABASE_URL: "postgres://sso:pw@db:5432/sso_db",
      BETTER_AUTH_SECRET: SECRET,
      BETTER_AUTH_URL: "https://sso.example.test/",
      ALLOWED_ORIGINS: "https://app.example.test, https://mcp.example.test",
      SMTP_HOST: "smtp.example.test",
      SMTP_SECURE: "true",
      DASHBOARD_CLIENT_ID: "dashboard",
      DASHBOARD_CLIENT_SECRET: "d".repeat(32),
      DASHBOARD_REDIRECT_URIS: "https://app.example.test/api/auth/callback",
      EXTRA_OAUTH_CLIENTS: JSON.stringify([
        {
          client_id: "cli",
          redirect_uris: ["http://127.0.0.1/callback"],
          token_endpoint_auth_method: "none",
        },
      ]),
    });
    expect(config.production).toBe(true);
    expect(config.baseUrl).toBe("https://sso.example.test");
    expect(config.allowedOrigins).toEqual(["https://app.example.test", "https://mcp.example.test"]);
    expect(config.smtp).toEqual({ host: "smtp.example.test", port: 465, secure: true });
    expect(config.requireEmailVerification).toBe(true);
    expect(config.apiAudience).toBe("http://localhost:8000");
    expect(config.mcpResourceUrl).toBe("http://localhost:8001/mcp");
    expect(config.extraClients[0]?.client_id).toBe("cli");
  });

  it("needs no variables at all in development", () => {
    const config = parseEnv({});
    expect(config.port).toBe(3001);
    expect(config.baseUrl).toBe("http://localhost:3001");
    expect(config.databaseUrl).toBeUndefined();
    expect(config.smtp).toBeUndefined();
    expect(config.secret).toBeUndefined();
  });

  it("requires every UPSTREAM_OIDC_* once one is set", () => {
    const error = errorOf({ UPSTREAM_OIDC_ISSUER: "https://idp.example.test" });
    expect(error.issues.map((issue) => issue.variable).sort()).toEqual([
      "UPSTREAM_OIDC_CLIENT_ID",
      "UPSTREAM_OIDC_CLIENT_SECRET",
    ]);
  });
});
