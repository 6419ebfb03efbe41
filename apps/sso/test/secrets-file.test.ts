// Where the development secrets live: generated ones are kept in <dataDir>/sso-secrets.json so they survive a
// restart, but when the environment gives all three (as the chart does, with a read-only root filesystem) the SSO
// neither reads nor writes that file, nor creates the data dir.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseEnv } from "../src/env.ts";
import { resolveSecrets, secretsFile } from "../src/secrets.ts";

const root = mkdtempSync(join(tmpdir(), "sso-secrets-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const given = {
  NODE_ENV: "development",
  BETTER_AUTH_SECRET: "given-better-auth-secret-0123456789abcdef",
  ADMIN_PASSWORD: "given-admin-password-42",
  DASHBOARD_CLIENT_SECRET: "given-dashboard-client-secret-0123456789",
};

describe("development secrets", () => {
  it("uses the three given secrets without touching the data dir", () => {
    const dataDir = join(root, "all-given");
    const secrets = resolveSecrets(parseEnv({ ...given, TASKFLOW_DATA_DIR: dataDir }));
    expect(secrets).toEqual({
      betterAuthSecret: given.BETTER_AUTH_SECRET,
      admin: { email: "admin@taskflow.local", password: given.ADMIN_PASSWORD },
      dashboardClientSecret: given.DASHBOARD_CLIENT_SECRET,
    });
    expect(existsSync(dataDir)).toBe(false);
  });

  it("ignores a secrets file left from a run that generated them, when all three are given", () => {
    const dataDir = join(root, "stale-file");
    mkdirSync(dataDir);
    const config = parseEnv({ ...given, TASKFLOW_DATA_DIR: dataDir, ADMIN_EMAIL: "root@example.test" });
    writeFileSync(secretsFile(config), "not json: must not be read");
    const secrets = resolveSecrets(config);
    expect(secrets.admin).toEqual({ email: "root@example.test", password: given.ADMIN_PASSWORD });
    expect(readFileSync(secretsFile(config), "utf8")).toBe("not json: must not be read");
  });

  it("generates what is missing once, keeps it in the data dir, and lets the given ones win", () => {
    const dataDir = join(root, "one-missing");
    const { ADMIN_PASSWORD: _, ...twoGiven } = given;
    const config = parseEnv({ ...twoGiven, TASKFLOW_DATA_DIR: dataDir });
    const first = resolveSecrets(config);
    expect(first.betterAuthSecret).toBe(given.BETTER_AUTH_SECRET);
    expect(first.dashboardClientSecret).toBe(given.DASHBOARD_CLIENT_SECRET);
    expect(first.admin?.password).toMatch(/^[\w-]{43}$/);
    expect(existsSync(secretsFile(config))).toBe(true);
    expect(resolveSecrets(config).admin?.password).toBe(first.admin?.password);
  });
});
