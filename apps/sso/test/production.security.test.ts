import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestDatabase } from "@taskflow/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSsoApp, type SsoApp } from "../src/app.ts";
import * as schema from "../src/db/schema.ts";
import { parseEnv } from "../src/env.ts";
import { MIGRATION_LOCK_ID, migrationsFolder } from "../src/migrations.ts";

const BASE = "https://sso.example.test";
let sso: SsoApp;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "sso-prod-"));
  const database = await createTestDatabase({ migrationsFolder, schema, lockId: MIGRATION_LOCK_ID });
  const config = parseEnv({
    NODE_ENV: "production",
    BETTER_AUTH_SECRET: "production-secret-of-enough-length-0123456789",
    BETTER_AUTH_URL: BASE,
    ADMIN_EMAIL: "root@example.test",
    ADMIN_PASSWORD: "a production passphrase",
    TASKFLOW_DATA_DIR: dataDir,
  });
  sso = await createSsoApp(config, { database, closeDatabase: true });
});

afterAll(async () => {
  await sso?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("production settings", () => {
  it("sets Secure, __Secure- prefixed, httpOnly session cookies", async () => {
    const response = await sso.fetch(
      new Request(`${BASE}/api/auth/sign-in/email`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: BASE },
        body: JSON.stringify({ email: "root@example.test", password: "a production passphrase" }),
      }),
    );
    expect(response.status).toBe(200);
    const cookies = response.headers.getSetCookie();
    const session = cookies.find((cookie) => cookie.includes("session_token"));
    expect(session).toBeDefined();
    expect(session).toMatch(/^__Secure-/);
    expect(session).toMatch(/;\s*Secure/i);
    expect(session).toMatch(/;\s*HttpOnly/i);
  });

  it("does not expose the dev mailbox and generates no secrets on disk", async () => {
    const response = await sso.fetch(new Request(`${BASE}/dev/mailbox`));
    expect(response.status).toBe(404);
    expect(sso.credentials.adminPassword).toBe("a production passphrase");
    expect(sso.credentials.dashboardClientSecret).toBeUndefined();
  });

  it("sends HSTS and framing protection on pages", async () => {
    const response = await sso.fetch(new Request(`${BASE}/sign-in`));
    expect(response.status).toBe(200);
    expect(response.headers.get("strict-transport-security")).toContain("max-age=");
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    const page = await response.text();
    expect(page).toContain('<label for="field-email">Email</label>');
    expect(page).not.toMatch(/https?:\/\/(fonts|cdn)/);
  });
});
