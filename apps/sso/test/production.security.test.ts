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
const DEV_BASE = "http://localhost:3901";
const ADMIN = { email: "root@example.test", password: "a production passphrase" };
let sso: SsoApp;
let dev: SsoApp;
const dirs: string[] = [];

async function app(env: Record<string, string>): Promise<SsoApp> {
  const dataDir = mkdtempSync(join(tmpdir(), "sso-headers-"));
  dirs.push(dataDir);
  const database = await createTestDatabase({ migrationsFolder, schema, lockId: MIGRATION_LOCK_ID });
  return createSsoApp(
    parseEnv({
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      TASKFLOW_DATA_DIR: dataDir,
      LOG_LEVEL: "warn",
      ...env,
    }),
    { database, closeDatabase: true },
  );
}

beforeAll(async () => {
  sso = await app({
    NODE_ENV: "production",
    BETTER_AUTH_SECRET: "production-secret-of-enough-length-0123456789",
    BETTER_AUTH_URL: BASE,
  });
  dev = await app({
    NODE_ENV: "development",
    BETTER_AUTH_SECRET: "development-secret-of-enough-length-0123456789",
    BETTER_AUTH_URL: DEV_BASE,
  });
});

afterAll(async () => {
  await sso?.close();
  await dev?.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** The cookies a sign-in sets, through Better Auth's endpoint and through our sign-in form. */
async function signInCookies(target: SsoApp, base: string): Promise<string[]> {
  const api = await target.fetch(
    new Request(`${base}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: base },
      body: JSON.stringify(ADMIN),
    }),
  );
  expect(api.status).toBe(200);
  const form = await target.fetch(
    new Request(`${base}/sign-in`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: base },
      body: new URLSearchParams({ email: ADMIN.email, password: ADMIN.password }).toString(),
    }),
  );
  expect(form.status).toBe(303);
  const cookies = [...api.headers.getSetCookie(), ...form.headers.getSetCookie()];
  expect(cookies.filter((cookie) => cookie.includes("session_token")).length).toBe(2);
  return cookies;
}

/** `default-src 'self'; …` → { "default-src": ["'self'"], … } */
function directives(csp: string | null): Record<string, string[]> {
  expect(csp).toBeTruthy();
  return Object.fromEntries(
    (csp ?? "")
      .split(";")
      .map((part) => part.trim().split(/\s+/))
      .filter((words) => words[0])
      .map(([name, ...values]) => [name, values]),
  );
}

/** Every kind of page the SSO renders (sign-in, forms, error and message pages). */
const PAGES = [
  "/sign-in",
  "/sign-up",
  "/forgot-password",
  "/reset-password?token=unknown",
  "/reset-password",
  "/sign-in?verified=1&error=TOKEN_EXPIRED",
  "/consent",
];

describe("security headers and cookies", () => {
  it("production: session cookies are __Secure-, Secure, HttpOnly and SameSite=Lax, from the API and our form", async () => {
    const cookies = await signInCookies(sso, BASE);
    for (const cookie of cookies) {
      expect(cookie, cookie).toMatch(/;\s*Secure(;|$)/i);
      expect(cookie, cookie).toMatch(/;\s*HttpOnly(;|$)/i);
      expect(cookie, cookie).toMatch(/;\s*SameSite=Lax(;|$)/i);
      expect(cookie, cookie).toMatch(/;\s*Path=\//i);
      expect(cookie, cookie).not.toMatch(/;\s*Domain=/i);
    }
    const session = cookies.find((cookie) => cookie.includes("session_token"));
    expect(session).toMatch(/^__Secure-/);
  });

  it("development over http: cookies stay HttpOnly and SameSite=Lax, without Secure", async () => {
    const cookies = await signInCookies(dev, DEV_BASE);
    for (const cookie of cookies) {
      expect(cookie, cookie).toMatch(/;\s*HttpOnly(;|$)/i);
      expect(cookie, cookie).toMatch(/;\s*SameSite=Lax(;|$)/i);
      expect(cookie, cookie).not.toMatch(/;\s*Secure(;|$)/i);
      expect(cookie, cookie).not.toMatch(/^__Secure-/);
    }
  });

  it("every page carries the CSP (no framing, no script, no foreign sources), X-Frame-Options and friends", async () => {
    for (const [target, base] of [
      [sso, BASE],
      [dev, DEV_BASE],
    ] as const) {
      for (const path of PAGES) {
        const response = await target.fetch(new Request(`${base}${path}`));
        expect(response.headers.get("content-type"), path).toContain("text/html");
        const csp = directives(response.headers.get("content-security-policy"));
        expect(csp["frame-ancestors"], path).toEqual(["'none'"]);
        expect(csp["default-src"], path).toEqual(["'self'"]);
        // No script-src: scripts fall back to default-src 'self', and the pages ship none.
        expect(csp["script-src"], path).toBeUndefined();
        expect(csp["style-src"], path).toEqual(["'self'", "'unsafe-inline'"]);
        expect(csp["img-src"], path).toEqual(["'self'", "data:"]);
        // Form posts may end in a redirect to a client's registered redirect URI (consent, sign-in).
        expect(csp["form-action"], path).toEqual(["'self'", "http:", "https:"]);
        expect(Object.values(csp).flat().join(" "), path).not.toMatch(/unsafe-eval|\*/);
        expect(response.headers.get("x-frame-options"), path).toBe("DENY");
        expect(response.headers.get("x-content-type-options"), path).toBe("nosniff");
        expect(response.headers.get("referrer-policy"), path).toBe("no-referrer");
        const page = await response.text();
        expect(page, path).not.toContain("<script");
        expect(page, path).not.toMatch(/https?:\/\/(fonts|cdn)/);
      }
    }
  });

  it("production sends HSTS everywhere; development does not", async () => {
    for (const path of ["/sign-in", "/api/health", "/.well-known/openid-configuration"]) {
      const response = await sso.fetch(new Request(`${BASE}${path}`));
      expect(response.headers.get("strict-transport-security"), path).toBe("max-age=31536000");
      expect(response.headers.get("x-content-type-options"), path).toBe("nosniff");
    }
    const local = await dev.fetch(new Request(`${DEV_BASE}/sign-in`));
    expect(local.headers.get("strict-transport-security")).toBeNull();
    const page = await (await sso.fetch(new Request(`${BASE}/sign-in`))).text();
    expect(page).toContain('<label for="field-email">Email or handle</label>');
  });

  it("does not expose the dev mailbox and generates no secrets on disk", async () => {
    const response = await sso.fetch(new Request(`${BASE}/dev/mailbox`));
    expect(response.status).toBe(404);
    expect(sso.credentials.adminPassword).toBe(ADMIN.password);
    expect(sso.credentials.dashboardClientSecret).toBeUndefined();
  });
});
