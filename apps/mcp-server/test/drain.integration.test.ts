import { request } from "node:http";
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ChildDatabase, databaseForChild } from "./support/child-database.ts";
import { type McpProcess, startMcpProcess } from "./support/mcp-process.ts";
import { rawListen } from "./support/raw-listen.ts";
import { mcpHeaders, seedAgent, toolCall } from "./support/seed-agent.ts";

/**
 * SIGTERM, as Kubernetes sends it to the real process: readiness turns false at once while the
 * listener keeps serving for SHUTDOWN_DELAY_SECONDS, a request already received is answered even
 * after the port closed, a `subscriptions/listen` (which never ends by itself) is closed gracefully, and
 * the process exits 0.
 */

let database: ChildDatabase;
let mcp: McpProcess;
let agent: Awaited<ReturnType<typeof seedAgent>>;

beforeAll(async () => {
  database = await databaseForChild();
  const seed = await database.open();
  agent = await seedAgent(seed.db, "org-drain");
  await seed.close();
  mcp = await startMcpProcess({ ...database.env, LOG_LEVEL: "info", SHUTDOWN_DELAY_SECONDS: "2" });
}, 120_000);
afterAll(async () => {
  await mcp?.stop();
  await database?.cleanup();
});

/** Whether a new TCP connection to the port is accepted. */
const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });

async function until<T>(probe: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what} did not happen:\n${mcp.stderr()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("SIGTERM drains the MCP server", () => {
  it("turns readiness false, keeps serving through the delay, answers the request in flight, ends listens, exits 0", async () => {
    const url = `${mcp.url}/mcp`;
    // A 2026-07-28 client listening to the project's tasks: acknowledged before the signal.
    const listen = await rawListen(url, agent.key, [`taskflow://projects/${agent.projectId}/tasks`]);
    await until(
      async () => listen.messages.length,
      (count) => count > 0,
      "the listen's acknowledgement",
    );
    // A tool call whose body is still arriving when the signal comes: in flight throughout.
    const body = toolCall("taskflow_list_projects");
    const inFlight = request(url, {
      method: "POST",
      agent: false,
      headers: { ...mcpHeaders(agent.key), "content-length": String(Buffer.byteLength(body)) },
    });
    const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
      inFlight.on("response", (res) => {
        let text = "";
        res.on("data", (chunk) => {
          text += chunk;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      inFlight.on("error", reject);
    });
    const connected = new Promise<void>((resolve) =>
      inFlight.once("socket", (socket) => socket.once("connect", () => resolve())),
    );
    inFlight.write(body.slice(0, 10));
    inFlight.flushHeaders();
    await connected;

    mcp.child.kill("SIGTERM");
    const ready = await until(
      () => fetch(`${mcp.url}/health/ready`).then(async (r) => ({ status: r.status, body: await r.json() })),
      (r) => r.status === 503,
      "readiness turning false",
    );
    expect(ready.body).toMatchObject({
      status: "unavailable",
      checks: { process: "draining", database: "ok" },
    });
    // Still serving while the load balancer catches up: a new call is answered.
    const during = await fetch(url, {
      method: "POST",
      headers: mcpHeaders(agent.key),
      body: toolCall("taskflow_list_projects", {}, 2),
    });
    expect(during.status).toBe(200);
    expect(mcp.child.exitCode).toBeNull();

    // After the delay the port closes; the request in flight is still answered, in full.
    await until(
      () => listening(mcp.port),
      (open) => !open,
      "the listener closing",
    );
    expect(mcp.child.exitCode).toBeNull();
    inFlight.end(body.slice(10));
    const answered = await answer;
    expect(answered.status).toBe(200);
    const result = JSON.parse(answered.body) as {
      result: { isError?: boolean; structuredContent: { projects: { id: string }[] } };
    };
    expect(result.result.isError).toBeFalsy();
    expect(result.result.structuredContent.projects.map((p) => p.id)).toEqual([agent.projectId]);

    // The listen ended with the specification's graceful close (its empty result), not a dropped stream.
    await listen.ended;
    expect(listen.messages.at(-1)).toMatchObject({ id: "raw-listen", result: { resultType: "complete" } });
    expect(await mcp.exited).toBe(0);
    expect(mcp.logs().some((line) => line.msg === "taskflow-mcp stopped")).toBe(true);
  });
});
