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
    let health: Response | undefined;
    for (let attempt = 0; attempt < 200 && !health; attempt++) {
      try {
        health = await fetch(`http://127.0.0.1:${port}/api/health`);
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    expect(health?.status).toBe(200);
    expect(await health?.json()).toEqual({ status: "ok", service: "sso-platform" });
    expect(server.output().stdout).toContain(`"issuer":"http://127.0.0.1:${port}"`);
    // Outside production, without SMTP_HOST, mail lands in the dev mailbox.
    const mailbox = await fetch(`http://127.0.0.1:${port}/dev/mailbox`);
    expect(mailbox.status).toBe(200);
    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
  }, 120_000);

  it("starts in-process on a free port with PORT=0 and reports its issuer and JWKS URL", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "sso-inproc-"));
    dirs.push(dataDir);
    const database = await createTestDatabase({ migrationsFolder, schema, lockId: MIGRATION_LOCK_ID });
    const running = await startSso(
      { NODE_ENV: "test", PORT: "0", HOST: "127.0.0.1", TASKFLOW_DATA_DIR: dataDir },
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
  }, 120_000);
});
