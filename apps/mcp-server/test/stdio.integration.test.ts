import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import {
  addMember,
  createProject,
  createTask,
  migrationsFolder,
  migrationsLockId,
  registerAgent,
  resolveHumanActor,
  schema,
  type TaskflowSchema,
} from "@taskflow/core";
import { createTaskflowTestDatabase } from "@taskflow/core/testing";
import { type OpenDatabase, openDatabase, runMigrations } from "@taskflow/db";
import { testEngine } from "@taskflow/db/testing";
import { afterAll, describe, expect, it } from "vitest";

const bin = new URL("../bin/taskflow-mcp.js", import.meta.url).pathname;
const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/**
 * A database the stdio process can open itself: the real server's test database, or (PGlite,
 * which one process owns at a time) a data folder on disk that this test closes before spawning.
 */
async function databaseForChild(): Promise<{
  env: Record<string, string>;
  open: () => Promise<OpenDatabase<TaskflowSchema>>;
}> {
  if (testEngine() === "postgres") {
    const database = await createTaskflowTestDatabase();
    cleanups.push(() => database.close());
    const url = database.url as string;
    return { env: { DATABASE_URL: url }, open: () => openDatabase({ kind: "postgres", url }, schema) };
  }
  const root = mkdtempSync(join(tmpdir(), "taskflow-stdio-"));
  cleanups.push(() => rmSync(root, { recursive: true, force: true }));
  const dataDir = join(root, "api-db");
  const open = () => openDatabase({ kind: "pglite", dataDir }, schema);
  const first = await open();
  await runMigrations({
    database: first.pglite as NonNullable<typeof first.pglite>,
    migrationsFolder,
    lockId: migrationsLockId,
  });
  await first.close();
  return { env: { TASKFLOW_DATA_DIR: root }, open };
}

// Each test starts a Node process that loads the server from source and opens its database: slow
// on a busy two-core machine, so these tests get more time than the default.
const childTimeout = 120_000;

describe("taskflow-mcp over stdio", () => {
  it(
    "lets an agent with an API key work a task, audited as the agent through mcp",
    async () => {
      const target = await databaseForChild();
      const seed = await target.open();
      const owner = await resolveHumanActor(seed.db, {
        tenantId: "org-stdio",
        userId: "u1",
        orgRole: "owner",
        channel: "api",
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

      const client = new Client({ name: "stdio-test", version: "1.0.0" });
      await client.connect(
        new StdioClientTransport({
          command: process.execPath,
          args: [bin],
          env: {
            PATH: process.env.PATH ?? "",
            TASKFLOW_API_KEY: apiKey.key,
            LOG_LEVEL: "silent",
            ...target.env,
          },
          stderr: "pipe",
        }),
      );
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
