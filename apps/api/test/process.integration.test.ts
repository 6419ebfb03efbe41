import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTaskflowTestDatabase } from "@taskflow/core/testing";
import { testEngine } from "@taskflow/db/testing";
import { startTestIssuer, type TestIssuer } from "@taskflow/resource-auth/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiProcess, startApiProcess } from "./support/api-process.ts";

// The API as the chart runs it: `node src/server.ts`, configured only by its environment.
const serverEntry = new URL("../src/server.ts", import.meta.url).pathname;
const audience = "http://taskflow-api.process-test";
const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
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
});

describe("a running API process", () => {
  // One process for these tests, as the chart runs it; the drain test is last, since it ends it.
  let api: ApiProcess;
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await startTestIssuer({ audience });
    cleanups.push(() => issuer.close());
    api = await startApiProcess({
      ...(await databaseEnv()),
      SSO_ISSUER: issuer.issuer,
      SSO_JWKS_URL: issuer.jwksUrl,
      API_AUDIENCE: audience,
      LOG_LEVEL: "info",
      MIGRATE_ON_START: "true",
      SHUTDOWN_DELAY_SECONDS: "1",
    });
    cleanups.push(() => {
      if (api.child.exitCode === null) api.child.kill("SIGKILL");
    });
  }, 120_000);

  it("answers with a request id and logs the request under the same id", async () => {
    const token = await issuer.mint({ orgId: "org-request-ids" });
    const given = await fetch(`${api.url}/api/projects`, {
      headers: { authorization: `Bearer ${token}`, "x-request-id": "trace-me-42" },
    });
    expect(given.status).toBe(200);
    expect(given.headers.get("x-request-id")).toBe("trace-me-42");
    const line = await api.waitForLog((l) => l.requestId === "trace-me-42" && l.msg === "request");
    expect(line).toMatchObject({ method: "GET", path: "/api/projects", status: 200 });

    // Without one (or with one that is not a plain token), the API makes one up and logs that.
    const made = await fetch(`${api.url}/api/projects`, {
      headers: { authorization: `Bearer ${token}`, "x-request-id": "not allowed!" },
    });
    const id = made.headers.get("x-request-id") as string;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    await api.waitForLog((l) => l.requestId === id && l.path === "/api/projects");
    expect(api.logs().some((l) => l.requestId === "not allowed!")).toBe(false);
  });

  it("drains on SIGTERM: requests already sent are answered, event streams end, exit 0", async () => {
    const url = api.url;
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
    const stopped = api.stop();
    const results = await Promise.all(inFlight);

    expect(await stopped).toBe(0);
    expect(await streamEnded).toBe(true);
    expect(results.map((r) => r.error ?? r.status)).toEqual(results.map(() => 200));
  }, 180_000);
});
