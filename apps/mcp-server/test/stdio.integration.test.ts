import { randomUUID } from "node:crypto";
import { StdioClientTransport as ModernStdioTransport } from "@modelcontextprotocol/client/stdio";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import {
  addMember,
  createProject,
  createTask,
  registerAgent,
  resolveHumanActor,
  taskflowScopes,
} from "@taskflow/core";
import { afterAll, describe, expect, it } from "vitest";
import { databaseForChild as childDatabase } from "./support/child-database.ts";
import { eras, modernClient } from "./support/test-mcp.ts";

const bin = new URL("../bin/taskflow-mcp.js", import.meta.url).pathname;
const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function databaseForChild() {
  const database = await childDatabase();
  cleanups.push(database.cleanup);
  return database;
}

// Each test starts a Node process that loads the server from source and opens its database: slow
// on a busy two-core machine, so these tests get more time than the default.
const childTimeout = 120_000;

describe("taskflow-mcp over stdio", () => {
  it.each(eras)(
    "lets an agent with an API key work a task in the %s era, audited as the agent through mcp",
    async (era) => {
      const target = await databaseForChild();
      const seed = await target.open();
      const owner = await resolveHumanActor(seed.db, {
        tenantId: "org-stdio",
        userId: "u1",
        orgRole: "owner",
        channel: "api",
        scopes: taskflowScopes,
      });
      const project = await createProject(seed.db, owner, { name: "Laptop work", description: "" });
      const { agent, apiKey } = await registerAgent(seed.db, owner, {
        handle: "@laptop-agent",
        name: "Laptop agent",
        agentType: "claude-code",
        capabilities: [],
      });
      await addMember(seed.db, owner, project.id, { workerId: agent.id, role: "member" });
      const task = await createTask(seed.db, owner, project.id, {
        title: "From the terminal",
        description: "",
        priority: "medium",
        tags: [],
        assigneeId: agent.id,
      });
      await seed.close();

      const server = {
        command: process.execPath,
        args: [bin],
        env: {
          PATH: process.env.PATH ?? "",
          TASKFLOW_API_KEY: apiKey.key,
          LOG_LEVEL: "silent",
          ...target.env,
        },
        stderr: "pipe" as const,
      };
      // The era the client speaks picks the server's for the connection (serveStdio).
      const client =
        era === "2026-07-28"
          ? modernClient("stdio-test")
          : new Client({ name: "stdio-test", version: "1.0.0" });
      if (client instanceof Client) await client.connect(new StdioClientTransport(server));
      else await client.connect(new ModernStdioTransport(server));
      const listed = (await client.callTool({
        name: "taskflow_list_tasks",
        arguments: { projectId: project.id, assigneeId: "me" },
      })) as CallToolResult;
      expect((listed.structuredContent as { items: { id: string }[] }).items.map((t) => t.id)).toEqual([
        task.id,
      ]);
      const started = (await client.callTool({
        name: "taskflow_start_task",
        arguments: { taskId: task.id },
      })) as CallToolResult;
      expect(started.isError).toBeFalsy();
      // A mistake is a tool result the agent can act on, not a protocol failure, over stdio too.
      const unknown = (await client.callTool({
        name: "taskflow_get_task",
        arguments: { taskId: randomUUID() },
      })) as CallToolResult;
      expect(unknown.isError).toBe(true);
      const hint = unknown.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");
      expect(hint).toMatch(/not found/i);
      expect(hint).toContain("taskflow_list_tasks");
      await client.close();

      const check = await target.open();
      const rows = await check.db.query.auditLog.findMany({ where: (a, { eq }) => eq(a.taskId, task.id) });
      await check.close();
      const statusChange = rows.find((r) => r.action === "task.status_changed");
      expect(statusChange).toMatchObject({ actorId: agent.id, actorType: "agent", channel: "mcp" });
    },
    childTimeout,
  );

  it(
    "refuses to start without a valid key, saying what to set",
    async () => {
      const target = await databaseForChild();
      const client = new Client({ name: "stdio-test", version: "1.0.0" });
      const transport = new StdioClientTransport({
        command: process.execPath,
        args: [bin],
        env: {
          PATH: process.env.PATH ?? "",
          TASKFLOW_API_KEY: `tf_${"a".repeat(12)}_${"b".repeat(43)}`,
          ...target.env,
        },
        stderr: "pipe",
      });
      let stderr = "";
      transport.stderr?.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      await expect(client.connect(transport)).rejects.toThrow();
      expect(stderr).toContain("TASKFLOW_API_KEY");
    },
    childTimeout,
  );
});
