import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { Agent, get as httpGet } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTaskflowTestDatabase } from "@taskflow/core/testing";
import { testEngine } from "@taskflow/db/testing";
import { startTestIssuer, type TestIssuer } from "@taskflow/resource-auth/testing";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type ApiProcess, startApiProcess } from "./support/api-process.ts";

// The API as the chart runs it: `node dist/server.mjs` (its bundle), configured only by its environment.
const serverEntry = inject("apiBundle");
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

interface Answer {
  status: number;
  error: string | null;
}

/**
 * A GET on its own connection. Resolves once the whole request has left for the server (or failed
 * to), with the promise of its answer: the status, or the error that ended the connection.
 */
function sendInFull(url: string, headers: Record<string, string>): Promise<{ answer: Promise<Answer> }> {
  return new Promise((sent) => {
    const answer = new Promise<Answer>((resolve) => {
      const request = httpGet(url, { headers: { ...headers, connection: "close" } }, (response) => {
        response.resume();
        response.once("end", () => resolve({ status: response.statusCode ?? 0, error: null }));
      });
      request.once("error", (error: NodeJS.ErrnoException) => {
        resolve({ status: 0, error: error.code ?? String(error) });
        sent({ answer });
      });
      request.once("finish", () => sent({ answer }));
    });
  });
}

/**
 * One client sending GETs one after another over one kept-alive connection, until an answer asks it
 * to close the connection (then, behind a Service, its next connection would go to a replica that
 * is not leaving). How many were answered 200, whether it was asked to close, and every failure.
 */
async function requestsUntilAskedToClose(
  url: string,
  headers: Record<string, string>,
): Promise<{ answered: number; askedToClose: boolean; failures: string[] }> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  let answered = 0;
  const failures: string[] = [];
  try {
    for (;;) {
      const answer = await new Promise<{ status: number; connection?: string } | { error: string }>(
        (resolve) => {
          httpGet(url, { headers, agent }, (response) => {
            response.resume();
            response.once("end", () =>
              resolve({ status: response.statusCode ?? 0, connection: response.headers.connection }),
            );
          }).once("error", (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? String(error) }));
        },
      );
      if ("error" in answer) {
        failures.push(answer.error);
        return { answered, askedToClose: false, failures };
      }
      if (answer.status === 200) answered++;
      else failures.push(`status ${answer.status}`);
      if (answer.connection === "close") return { answered, askedToClose: true, failures };
    }
  } finally {
    agent.destroy();
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

    // One connection per request, as from many clients, each written in full before the signal:
    // these reached the server while it was still listening and must be answered in full. (A
    // request still being sent when the port closes is the load balancer's to retry; the
    // readiness delay is there so that none is.)
    const sent = await Promise.all(Array.from({ length: 30 }, () => sendInFull(`${url}/api/projects`, auth)));
    // And clients that keep their connection alive and send one request after another: while the
    // process drains they are asked to close it, so none is cut off mid-request when the port closes
    // (and the process does not wait on them until it is killed).
    const keptAlive = Array.from({ length: 5 }, () => requestsUntilAskedToClose(`${url}/api/projects`, auth));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const stopped = api.stop();
    const results = await Promise.all(sent.map((request) => request.answer));

    expect(await stopped).toBe(0);
    expect(await streamEnded).toBe(true);
    expect(results.map((r) => r.error ?? r.status)).toEqual(results.map(() => 200));
    const clients = await Promise.all(keptAlive);
    for (const client of clients) {
      expect(client).toMatchObject({ askedToClose: true, failures: [] });
      expect(client.answered).toBeGreaterThan(0);
    }

    // Log lines leave in batches (logger.ts), and none is lost to the exit: the last line is there, and
    // a line for every request answered in this test (earlier tests' requests may add more).
    await api.waitForLog((l) => l.msg === "taskflow-api stopped");
    const answered = 1 + sent.length + clients.reduce((sum, client) => sum + client.answered, 0);
    const logged = api
      .logs()
      .filter((l) => l.msg === "request" && l.path === "/api/projects" && l.status === 200).length;
    expect(logged).toBeGreaterThanOrEqual(answered);
  }, 180_000);
});
