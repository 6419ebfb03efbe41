import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ChildDatabase, databaseForChild } from "./support/child-database.ts";
import { type McpProcess, startMcpProcess } from "./support/mcp-process.ts";
import { eventually, rawListen } from "./support/raw-listen.ts";
import { mcpHeaders, seedAgent, toolCall } from "./support/seed-agent.ts";

/**
 * Two MCP server processes on one PostgreSQL, as two replicas run: a change made through one reaches a
 * `subscriptions/listen` held by the other, through the database's LISTEN/NOTIFY (PGlite serves one process,
 * so only a real server can show it).
 */
let database: ChildDatabase;
let listening: McpProcess;
let writing: McpProcess;
let agent: Awaited<ReturnType<typeof seedAgent>>;

beforeAll(async () => {
  database = await databaseForChild();
  const seed = await database.open();
  agent = await seedAgent(seed.db, "org-listen-replicas");
  await seed.close();
  [listening, writing] = await Promise.all([startMcpProcess(database.env), startMcpProcess(database.env)]);
}, 180_000);
afterAll(async () => {
  await listening?.stop();
  await writing?.stop();
  await database?.cleanup();
});

describe("subscriptions/listen across replicas", () => {
  it("hears a task made through another process on the same database", async () => {
    const uri = `taskflow://projects/${agent.projectId}/tasks`;
    const listen = await rawListen(`${listening.url}/mcp`, agent.key, [uri]);
    expect(listen.streaming).toBe(true);
    await eventually(() => listen.messages[0], "the acknowledgement");
    expect(listen.messages[0]?.method).toBe("notifications/subscriptions/acknowledged");

    const made = await fetch(`${writing.url}/mcp`, {
      method: "POST",
      headers: mcpHeaders(agent.key),
      body: toolCall("taskflow_add_task", { projectId: agent.projectId, title: "Made on the other replica" }),
    });
    expect(made.status).toBe(200);
    const { result } = (await made.json()) as {
      result: { isError?: boolean; structuredContent: { id: string } };
    };
    expect(result.isError).toBeFalsy();

    const heard = await eventually(
      () => listen.messages.find((m) => m.method === "notifications/resources/updated"),
      `the other replica's change reaching the listener:\n${listening.stderr()}`,
    );
    expect(heard.params?.uri).toBe(uri);
    expect(heard.params?._meta?.["taskflow/event"]).toMatchObject({
      action: "task.created",
      taskId: result.structuredContent.id,
    });
    await listen.cancel();
  });
});
