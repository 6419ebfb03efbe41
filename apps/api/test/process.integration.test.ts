import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTaskflowTestDatabase } from "@taskflow/core/testing";
import { testEngine } from "@taskflow/db/testing";
import { startTestIssuer } from "@taskflow/resource-auth/testing";
import { afterAll, describe, expect, it } from "vitest";

// The API as the chart runs it: `node src/server.ts`, configured only by its environment.
const serverEntry = new URL("../src/server.ts", import.meta.url).pathname;
const audience = "http://taskflow-api.process-test";
const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });

function run(env: Record<string, string>): {
  child: ChildProcess;
  exited: Promise<number | null>;
  stderr: () => string;
} {
  const child = spawn(process.execPath, [serverEntry], {
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, exited, stderr: () => stderr };
}

async function databaseEnv(): Promise<Record<string, string>> {
  if (testEngine() === "postgres") {
    const database = await createTaskflowTestDatabase();
    cleanups.push(() => database.close());
    return { DATABASE_URL: database.url as string };
  }
  const dir = mkdtempSync(join(tmpdir(), "taskflow-api-process-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return { TASKFLOW_DATA_DIR: dir };
}

async function waitUntilReady(url: string, exited: Promise<number | null>): Promise<void> {
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  for (;;) {
    if (gone) throw new Error("the API exited before it was ready");
    const ok = await fetch(`${url}/health/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe("the API process", () => {
  it("refuses to start on a bad environment, naming every bad variable", async () => {
    const { exited, stderr } = run({
      PORT: "not-a-port",
      DATABASE_URL: "mysql://db/x",
      NODE_ENV: "production",
    });
    expect(await exited).toBe(78);
    expect(stderr()).toContain("PORT");
    expect(stderr()).toContain("DATABASE_URL");
    expect(stderr()).not.toMatch(/\n\s+at /); // a message, not a stack trace
  });

  it("drains on SIGTERM: requests already sent are answered, event streams end, exit 0", async () => {
    const issuer = await startTestIssuer({ audience });
    cleanups.push(() => issuer.close());
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const { child, exited } = run({
      ...(await databaseEnv()),
      PORT: String(port),
      HOST: "127.0.0.1",
      SSO_ISSUER: issuer.issuer,
      SSO_JWKS_URL: issuer.jwksUrl,
      API_AUDIENCE: audience,
      LOG_LEVEL: "silent",
      MIGRATE_ON_START: "true",
      SHUTDOWN_DELAY_SECONDS: "1",
    });
    cleanups.push(() => {
      if (child.exitCode === null) child.kill("SIGKILL");
    });
    await waitUntilReady(url, exited);
    const token = await issuer.mint({ orgId: "org-drain" });
    const auth = { authorization: `Bearer ${token}` };
    const projects = (await (await fetch(`${url}/api/projects`, { headers: auth })).json()) as {
      id: string;
    }[];

    const stream = await fetch(`${url}/api/projects/${projects[0]?.id}/events`, { headers: auth });
    expect(stream.status).toBe(200);
    const streamEnded = (async () => {
      for await (const _chunk of stream.body ?? []) {
        // read until the server ends the stream
      }
      return true;
    })();

    // One connection per request, as from many clients: each reached the server while it was
    // still listening (readiness already false) and must be answered in full.
    const inFlight = Array.from({ length: 30 }, () =>
      fetch(`${url}/api/projects`, { headers: { ...auth, connection: "close" } }).then(
        (r) => ({ status: r.status, error: null as string | null }),
        (e: unknown) => ({ status: 0, error: String((e as { cause?: { code?: string } }).cause?.code ?? e) }),
      ),
    );
    child.kill("SIGTERM");
    const results = await Promise.all(inFlight);

    expect(await exited).toBe(0);
    expect(await streamEnded).toBe(true);
    expect(results.map((r) => r.error ?? r.status)).toEqual(results.map(() => 200));
  }, 180_000);
});
