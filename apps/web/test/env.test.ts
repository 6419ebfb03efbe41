import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "../src/env.ts";

const valid = {
  DASHBOARD_CLIENT_SECRET: "a-dashboard-secret-0123456789",
  SESSION_SECRET: "a-session-secret-0123456789abcdefghijklmnop",
};

describe("parseEnv", () => {
  it("fills the embedded defaults", () => {
    const config = parseEnv(valid);
    expect(config.port).toBe(3000);
    expect(config.publicUrl).toBe("http://localhost:3000");
    expect(config.redirectUri).toBe("http://localhost:3000/api/auth/callback");
    expect(config.ssoIssuer).toBe("http://localhost:3001");
    expect(config.ssoInternalUrl).toBe("http://localhost:3001");
    expect(config.apiUrl).toBe("http://localhost:8000");
    expect(config.apiAudience).toBe("http://localhost:8000");
    expect(config.clientId).toBe("taskflow-dashboard");
    expect(config.secureCookies).toBe(false);
  });

  it("takes the chart's variables, trims trailing slashes and marks https cookies Secure", () => {
    const config = parseEnv({
      ...valid,
      NODE_ENV: "production",
      PORT: "3000",
      HOST: "0.0.0.0",
      PUBLIC_URL: "https://taskflow.example.com/",
      SSO_ISSUER: "https://sso.example.com",
      SSO_INTERNAL_URL: "http://sso-platform.taskflow.svc:3001",
      API_URL: "http://taskflow-api.taskflow.svc:8000",
      DASHBOARD_CLIENT_ID: "dash",
      LOG_LEVEL: "warn",
    });
    expect(config.publicUrl).toBe("https://taskflow.example.com");
    expect(config.redirectUri).toBe("https://taskflow.example.com/api/auth/callback");
    expect(config.secureCookies).toBe(true);
    expect(config.ssoInternalUrl).toBe("http://sso-platform.taskflow.svc:3001");
    expect(config.clientId).toBe("dash");
  });

  it("treats an empty variable as unset", () => {
    expect(parseEnv({ ...valid, SSO_INTERNAL_URL: "", API_AUDIENCE: " " }).ssoInternalUrl).toBe(
      "http://localhost:3001",
    );
  });

  it("names every bad or missing variable at once", () => {
    let caught: unknown;
    try {
      parseEnv({ PUBLIC_URL: "not a url", SESSION_SECRET: "short", PORT: "seventy" });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(EnvError);
    const issues = (caught as EnvError).issues;
    expect(issues.map((i) => i.variable).sort()).toEqual(
      ["DASHBOARD_CLIENT_SECRET", "PORT", "PUBLIC_URL", "SESSION_SECRET"].sort(),
    );
    expect(issues.find((i) => i.variable === "DASHBOARD_CLIENT_SECRET")?.message).toBe("required");
    expect(issues.find((i) => i.variable === "SESSION_SECRET")?.message).toMatch(/32/);
    expect((caught as Error).message).toContain("PUBLIC_URL");
  });

  it("refuses non-http URLs", () => {
    expect(() => parseEnv({ ...valid, SSO_ISSUER: "ftp://sso" })).toThrow(/SSO_ISSUER/);
  });
});
