import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestDatabase } from "@taskflow/db/testing";
import { afterAll, describe, expect, it } from "vitest";
import * as schema from "../src/db/schema.ts";
import { MIGRATION_LOCK_ID, migrationsFolder } from "../src/migrations.ts";
import { startSso } from "../src/server.ts";
import { freePort } from "./helpers.ts";

const appDir = join(import.meta.dirname, "..");
const dirs: string[] = [];

function run(script: string, env: Record<string, string>) {
  const child = spawn(process.execPath, [script], {
    cwd: appDir,
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, exited, output: () => ({ stdout, stderr }) };
}

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/**
 * The first answer of a freshly started server: start-up takes seconds here and, on a loaded CI
 * machine, most of a minute, so this waits up to two.
 */
async function firstAnswer(url: string): Promise<Response | undefined> {
  for (const deadline = performance.now() + 120_000; performance.now() < deadline; ) {
    const response = await fetch(url).catch(() => undefined);
    if (response) return response;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return undefined;
}

describe("the service entry points", () => {
  it("refuses to start in production with a short BETTER_AUTH_SECRET, naming it", async () => {
    const started = run("src/server.ts", {
      NODE_ENV: "production",
      BETTER_AUTH_URL: "https://sso.example.test",
      BETTER_AUTH_SECRET: "short",
    });
    expect(await started.exited).toBe(1);
    expect(started.output().stderr).toContain("BETTER_AUTH_SECRET");
    expect(started.output().stderr).not.toContain('short"');
  });

  it("migrates the embedded database, starts, answers health, and drains on SIGTERM with exit 0", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "sso-entry-"));
    dirs.push(dataDir);
    // The init container may carry only the database settings, even in production.
    const migrated = run("src/migrate.ts", { NODE_ENV: "production", TASKFLOW_DATA_DIR: dataDir });
    expect(await migrated.exited).toBe(0);
    expect(migrated.output().stdout).toContain("migrations applied");

    const port = await freePort();
    const server = run("src/server.ts", {
      TASKFLOW_DATA_DIR: dataDir,
      PORT: String(port),
      HOST: "127.0.0.1",
      BETTER_AUTH_URL: `http://127.0.0.1:${port}`,
    });
    const health = await firstAnswer(`http://127.0.0.1:${port}/api/health`);
    expect(health?.status).toBe(200);
    expect(await health?.json()).toEqual({ status: "ok", service: "sso-platform" });
    expect(server.output().stdout).toContain(`"issuer":"http://127.0.0.1:${port}"`);
    // Outside production, without SMTP_HOST, mail lands in the dev mailbox.
    const mailbox = await fetch(`http://127.0.0.1:${port}/dev/mailbox`);
    expect(mailbox.status).toBe(200);
    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
  }, 240_000);

  it("drains on SIGTERM: health answers 503 for SHUTDOWN_DELAY_SECONDS while requests still complete, then exit 0", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "sso-drain-"));
    dirs.push(dataDir);
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const server = run("src/server.ts", {
      TASKFLOW_DATA_DIR: dataDir,
      PORT: String(port),
      HOST: "127.0.0.1",
      BETTER_AUTH_URL: url,
      SHUTDOWN_DELAY_SECONDS: "4",
    });
    expect((await firstAnswer(`${url}/api/health`))?.status).toBe(200);

    // Requests already on their way when the signal arrives are answered in full.
    const inFlight = Array.from({ length: 10 }, () =>
      fetch(`${url}/sign-in`, { headers: { connection: "close" } }).then((response) => response.status),
    );
    const signalled = performance.now();
    server.child.kill("SIGTERM");
    expect(await Promise.all(inFlight)).toEqual(inFlight.map(() => 200));

    // While draining: readiness is false at once, yet the listener is open and serves.
    const health = await fetch(`${url}/api/health`);
    expect(health.status).toBe(503);
    expect(await health.json()).toEqual({ status: "draining" });
    const seen: number[] = [];
    // Rounds of requests while the delay lasts: two at least, however slow the machine.
    while (seen.length < 6 || performance.now() - signalled < 1500) {
      const [probe, page, jwks] = await Promise.all([
        fetch(`${url}/api/health`, { headers: { connection: "close" } }),
        fetch(`${url}/sign-in`, { headers: { connection: "close" } }),
        fetch(`${url}/api/auth/jwks`, { headers: { connection: "close" } }),
      ]);
      seen.push(probe.status, page.status === 200 ? 1 : page.status, jwks.status === 200 ? 1 : jwks.status);
      await Promise.all([probe.arrayBuffer(), page.arrayBuffer(), jwks.arrayBuffer()]);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(new Set(seen)).toEqual(new Set([503, 1]));

    expect(await server.exited).toBe(0);
    // Not before the delay: the load balancer had its time.
    expect(performance.now() - signalled).toBeGreaterThanOrEqual(3900);
    expect(server.output().stdout).toContain('"msg":"SIGTERM: draining","delaySeconds":4');
    // Afterwards the port is closed.
    await expect(fetch(`${url}/api/health`)).rejects.toThrow();
  }, 240_000);

  it("starts in-process on a free port with PORT=0 and reports its issuer and JWKS URL", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "sso-inproc-"));
    dirs.push(dataDir);
    const database = await createTestDatabase({ migrationsFolder, schema, lockId: MIGRATION_LOCK_ID });
    const running = await startSso(
      {
        NODE_ENV: "test",
        PORT: "0",
        HOST: "127.0.0.1",
        TASKFLOW_DATA_DIR: dataDir,
        SHUTDOWN_DELAY_SECONDS: "0",
      },
      { database, closeDatabase: true },
    );
    try {
      expect(running.port).toBeGreaterThan(0);
      expect(running.issuer).toBe(`http://localhost:${running.port}`);
      expect(running.jwksUrl).toBe(`http://localhost:${running.port}/api/auth/jwks`);
      const jwks = (await (await fetch(`${running.url}/api/auth/jwks`)).json()) as {
        keys: { kty: string }[];
      };
      expect(jwks.keys[0]?.kty).toBe("RSA");
      // Development credentials are generated once and kept under the data dir.
      expect(running.sso.credentials.adminEmail).toBe("admin@taskflow.local");
      expect(running.sso.credentials.adminPassword?.length).toBeGreaterThanOrEqual(32);
      const signIn = await fetch(`${running.url}/api/auth/sign-in/email`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: running.issuer },
        body: JSON.stringify({
          email: "admin@taskflow.local",
          password: running.sso.credentials.adminPassword,
        }),
      });
      expect(signIn.status).toBe(200);
    } finally {
      await running.stop();
    }
  }, 240_000);
});
