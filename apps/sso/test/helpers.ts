import { mkdtempSync, rmSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestDatabase } from "@taskflow/db/testing";
import type { SsoAppOptions } from "../src/app.ts";
import * as schema from "../src/db/schema.ts";
import { parseEnv } from "../src/env.ts";
import { MIGRATION_LOCK_ID, migrationsFolder } from "../src/migrations.ts";
import { type RunningSso, startSso } from "../src/server.ts";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface TestSso extends RunningSso {
  dataDir: string;
  close(): Promise<void>;
}

/** A real SSO on a loopback port over this test file's own migrated database. */
export async function startTestSso(
  env: Record<string, string> = {},
  options: Omit<SsoAppOptions, "database"> = {},
): Promise<TestSso> {
  const database = await createTestDatabase({ migrationsFolder, schema, lockId: MIGRATION_LOCK_ID });
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const host = env.PUBLIC_HOST ?? "127.0.0.1";
  const dataDir = mkdtempSync(join(tmpdir(), "sso-test-"));
  const config = parseEnv({
    NODE_ENV: "test",
    HOST: "127.0.0.1",
    PORT: String(port),
    BETTER_AUTH_URL: `http://${host}:${port}`,
    BETTER_AUTH_SECRET: "test-secret-that-is-long-enough-0123456789",
    TASKFLOW_DATA_DIR: dataDir,
    LOG_LEVEL: "warn",
    // Tests stop at once; the drain delay has its own test (server.integration.test.ts).
    SHUTDOWN_DELAY_SECONDS: "0",
    ...env,
  });
  const running = await startSso(config, { ...options, database, closeDatabase: true });
  return {
    ...running,
    dataDir,
    close: async () => {
      await running.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A tiny browser: a cookie jar and manual redirects, so each hop can be inspected. */
export class Browser {
  /** Cookies by host name (like a browser, ports share them). */
  readonly jars = new Map<string, Map<string, string>>();

  private jar(url: URL): Map<string, string> {
    let jar = this.jars.get(url.hostname);
    if (!jar) {
      jar = new Map();
      this.jars.set(url.hostname, jar);
    }
    return jar;
  }

  async fetch(url: string | URL, init: RequestInit = {}): Promise<Response> {
    const target = new URL(url);
    const cookies = this.jar(target);
    const headers = new Headers(init.headers);
    // What a browser sends on a navigation: the SSO answers with redirects and pages, not JSON.
    if (!headers.has("accept")) headers.set("accept", "text/html,application/xhtml+xml");
    if (!headers.has("sec-fetch-mode")) headers.set("sec-fetch-mode", "navigate");
    if (cookies.size > 0) {
      headers.set("cookie", [...cookies].map(([name, value]) => `${name}=${value}`).join("; "));
    }
    const response = await rawRequest(target, init.method ?? "GET", headers, init.body);
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(";");
      const index = pair?.indexOf("=") ?? -1;
      if (!pair || index < 0) continue;
      const name = pair.slice(0, index).trim();
      const value = pair.slice(index + 1).trim();
      if (value === "" || /max-age=0/i.test(cookie)) cookies.delete(name);
      else cookies.set(name, value);
    }
    return response;
  }

  /** Follows redirects while they stay on `origin` (one or several); returns the last response and the URL that left. */
  async follow(
    url: string | URL,
    origin: string | string[],
    init: RequestInit = {},
  ): Promise<{ response: Response; url: string }> {
    const origins = Array.isArray(origin) ? origin : [origin];
    let current = new URL(url);
    let response = await this.fetch(current, init);
    for (let hops = 0; hops < 15; hops++) {
      const location = response.headers.get("location");
      if (!location || response.status < 300 || response.status >= 400) break;
      current = new URL(location, current);
      if (!origins.includes(current.origin)) return { response, url: current.toString() };
      response = await this.fetch(current);
    }
    return { response, url: current.toString() };
  }

  /** Posts an HTML form the way a browser would (same-origin Origin header). */
  async submit(url: string | URL, fields: Record<string, string>): Promise<Response> {
    const target = new URL(url);
    return this.fetch(target, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: target.origin },
      body: new URLSearchParams(fields).toString(),
    });
  }
}

/** Reads the value of a named hidden input out of a page. */
export function hiddenInput(page: string, name: string): string | undefined {
  const match = page.match(new RegExp(`<input type="hidden" name="${name}" value="([^"]*)">`));
  return match?.[1]
    ?.replace(/&amp;/g, "&")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">");
}

/**
 * node:http instead of fetch: Node's fetch always sends `Sec-Fetch-Mode: cors`, which makes the
 * SSO answer like it does to a script (JSON) instead of to a browser navigation (redirects).
 */
async function rawRequest(url: URL, method: string, headers: Headers, body: unknown): Promise<Response> {
  const payload = typeof body === "string" ? body : undefined;
  return new Promise((resolve, reject) => {
    const outgoing: Record<string, string> = {};
    headers.forEach((value, key) => {
      outgoing[key] = value;
    });
    if (payload !== undefined) outgoing["content-length"] = String(Buffer.byteLength(payload));
    const req = httpRequest(url, { method, headers: outgoing }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        const responseHeaders = new Headers();
        for (const [key, value] of Object.entries(res.headers)) {
          if (Array.isArray(value)) for (const item of value) responseHeaders.append(key, item);
          else if (value !== undefined) responseHeaders.set(key, value);
        }
        const status = res.statusCode ?? 500;
        const buffer = Buffer.concat(chunks);
        resolve(
          new Response(status === 204 || status === 304 ? null : buffer, {
            status,
            headers: responseHeaders,
          }),
        );
      });
      res.on("error", reject);
    });
    req.on("error", reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

/** The newest dev-mailbox mail (no SMTP_HOST) to `address` whose subject contains `subject`. */
export async function mailboxMail(
  sso: TestSso,
  address: string,
  subject: string,
  options: { after?: number; timeoutMs?: number } = {},
): Promise<{ subject: string; text: string; link: string }> {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  for (;;) {
    const found = sso.sso.mailer
      .list()
      .filter((mail) => Date.parse(mail.sentAt) >= (options.after ?? 0))
      .find((mail) => mail.to === address && mail.subject.toLowerCase().includes(subject.toLowerCase()));
    if (found) {
      const link = found.text.match(/https?:\/\/\S+/)?.[0] ?? "";
      return { subject: found.subject, text: found.text, link };
    }
    if (Date.now() > deadline) throw new Error(`no mail "${subject}" to ${address} in the dev mailbox`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A confidential client as the tests register it (the dashboard's id, secret and redirect URI). */
export interface ConfidentialClient {
  id: string;
  secret: string;
  redirectUri: string;
}

/** The token endpoint's authorization-code grant, as a confidential client sends it (client_secret_basic). */
export function exchangeCode(
  ssoUrl: string,
  client: ConfidentialClient,
  grant: { code: string; verifier: string; resource?: string },
): Promise<Response> {
  return fetch(`${ssoUrl}/api/auth/oauth2/token`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      authorization: `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString("base64")}`,
    },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code: grant.code,
      code_verifier: grant.verifier,
      redirect_uri: client.redirectUri,
      ...(grant.resource ? { resource: grant.resource } : {}),
    }).toString(),
  });
}
