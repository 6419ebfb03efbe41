import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { IssuedPersonalToken } from "@taskflow/contracts";
import { schema } from "@taskflow/core";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestMcp, type TestMcp } from "./support/test-mcp.ts";

/**
 * Red-team finding 11: the dashboard's /connect page told people to put the API's DATABASE_URL (every
 * organization's data) in an agent's stdio configuration, because the stdio bin served straight from the
 * database. On an agent's machine it now relays to the MCP server over HTTP (src/stdio-bridge.ts) with the
 * key or a personal access token and nothing else: the bin as the page's snippet runs it, driven by the real
 * MCP SDK client over stdio, with no database setting in its environment.
 */
const bin = new URL("../bin/taskflow-mcp.js", import.meta.url).pathname;
const childTimeout = 120_000;

let mcp: TestMcp;
// The agent's machine: an empty folder, so nothing it runs can find a database beside it.
const machine = mkdtempSync(join(tmpdir(), "taskflow-agent-"));
beforeAll(async () => {
  mcp = await startTestMcp();
});
afterAll(async () => {
  await mcp?.close();
  rmSync(machine, { recursive: true, force: true });
});

/** The stdio client of an agent's machine: only PATH, the key and the MCP server's URL. */
async function stdioClient(credential: string, url = mcp.mcpUrl) {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [bin],
    cwd: machine,
    env: { PATH: process.env.PATH ?? "", TASKFLOW_API_KEY: credential, TASKFLOW_MCP_URL: url },
    stderr: "pipe",
  });
  let stderr = "";
  transport.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const client = new Client({ name: "stdio-bridge-test", version: "1.0.0" });
  return { client, transport, stderr: () => stderr };
}

describe("taskflow-mcp on an agent's machine: stdio relayed to the MCP server, key only", () => {
  it(
    "works a task with an agent key, audited as the agent through mcp",
    async () => {
      const org = await mcp.organization();
      const agent = await org.agent("@bridged");
      const task = await mcp.api.call<{ id: string }>("POST", `/api/projects/${org.project.id}/tasks`, {
        token: org.owner.token,
        body: { title: "Over the bridge", assigneeId: agent.id },
      });
      const { client, transport } = await stdioClient(agent.key);
      await client.connect(transport);
      const tools = await client.listTools();
      expect(tools.tools.map((t) => t.name)).toContain("taskflow_start_task");
      const listed = (await client.callTool({
        name: "taskflow_list_tasks",
        arguments: { projectId: org.project.id, assigneeId: "me" },
      })) as CallToolResult;
      expect((listed.structuredContent as { items: { id: string }[] }).items.map((t) => t.id)).toEqual([
        task.body.id,
      ]);
      const started = (await client.callTool({
        name: "taskflow_start_task",
        arguments: { taskId: task.body.id },
      })) as CallToolResult;
      expect(started.isError).toBeFalsy();
      await client.close();
      const rows = await mcp.api.db
        .select()
        .from(schema.auditLog)
        .where(eq(schema.auditLog.taskId, task.body.id));
      expect(rows.find((r) => r.action === "task.status_changed")).toMatchObject({
        actorId: agent.id,
        actorType: "agent",
        channel: "mcp",
      });
    },
    childTimeout,
  );

  it(
    "works with a person's read-only personal access token, its scopes checked as over HTTP",
    async () => {
      const org = await mcp.organization();
      const issued = await mcp.api.call<IssuedPersonalToken>("POST", "/api/personal-tokens", {
        token: org.owner.token,
        body: { name: "stdio", scopes: ["taskflow:read"] },
      });
      expect(issued.status).toBe(201);
      const { client, transport } = await stdioClient(issued.body.token);
      await client.connect(transport);
      const projects = (await client.callTool({
        name: "taskflow_list_projects",
        arguments: {},
      })) as CallToolResult;
      expect(JSON.stringify(projects.structuredContent)).toContain(org.project.id);
      // A tool that writes needs taskflow:write: refused, as the server refuses it over HTTP.
      await expect(
        client.callTool({
          name: "taskflow_add_task",
          arguments: { projectId: org.project.id, title: "x" },
        }),
      ).rejects.toThrow(/insufficient_scope|403|scope/i);
      await client.close();
    },
    childTimeout,
  );

  it(
    "refuses a bad key with an error the client shows, and a URL that would send the key in the clear",
    async () => {
      const bad = await stdioClient("tf_nope_nope");
      await expect(bad.client.connect(bad.transport)).rejects.toThrow(/TaskFlow's MCP server/);
      await bad.client.close();

      const clear = await stdioClient("tf_x", "http://mcp.example.com/mcp");
      await expect(clear.client.connect(clear.transport)).rejects.toThrow();
      expect(clear.stderr()).toContain("TASKFLOW_MCP_URL must be https://");
    },
    childTimeout,
  );
});
