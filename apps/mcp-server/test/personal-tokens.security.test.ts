import type { IssuedPersonalToken, Task } from "@taskflow/contracts";
import { schema } from "@taskflow/core";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postInEra } from "./support/era-requests.ts";
import { eras, startTestMcp, type TestMcp } from "./support/test-mcp.ts";

/**
 * A personal access token on the MCP server, through the real SDK client: the person's tools with the
 * token's scopes (the same per-tool table as OAuth tokens), audited with channel `pat`, and refused
 * once revoked; in both protocol eras.
 */

let mcp: TestMcp;
beforeAll(async () => {
  mcp = await startTestMcp();
});
afterAll(() => mcp.close());

async function tokenFor(owner: { token: string }, scopes: string[]) {
  const res = await mcp.api.call<IssuedPersonalToken>("POST", "/api/personal-tokens", {
    token: owner.token,
    body: { name: "MCP client", scopes },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

describe.each(eras)("a personal access token on the MCP server (%s)", (era) => {
  const toolCall = (token: string, name: string, args: Record<string, unknown>) =>
    postInEra(
      mcp.mcpUrl,
      era,
      { id: 1, method: "tools/call", params: { name, arguments: args } },
      { credential: token },
    );

  it("works as its person with its scopes, audited as pat, until revoked", async () => {
    const org = await mcp.organization();
    const issued = await tokenFor(org.owner, ["taskflow:read", "taskflow:write"]);
    const client = await mcp.connect(issued.token, era);
    const projects = await client.call<{ projects: { id: string }[] }>("taskflow_list_projects");
    expect(projects.isError, projects.text).toBe(false);
    expect(projects.data.projects.map((p) => p.id)).toContain(org.project.id);
    const added = await client.call<Task>("taskflow_add_task", {
      projectId: org.project.id,
      title: "Via PAT",
    });
    expect(added.isError, added.text).toBe(false);
    await client.close();
    const [row] = await mcp.api.db
      .select()
      .from(schema.auditLog)
      .where(eq(schema.auditLog.entityId, added.data.id));
    expect(row).toMatchObject({ action: "task.created", actorId: org.owner.workerId, channel: "pat" });

    await mcp.api.call("DELETE", `/api/personal-tokens/${issued.id}`, { token: org.owner.token });
    const refused = await toolCall(issued.token, "taskflow_list_projects", {});
    expect(refused.status).toBe(401);
    expect(refused.headers.get("www-authenticate")).toContain('error="invalid_token"');
  });

  it("is refused a write tool with a read-only token: 403 insufficient_scope, nothing done", async () => {
    const org = await mcp.organization();
    const reader = await tokenFor(org.owner, ["taskflow:read"]);
    const listed = await toolCall(reader.token, "taskflow_list_projects", {});
    expect(listed.status).toBe(200);
    const refused = await toolCall(reader.token, "taskflow_add_task", {
      projectId: org.project.id,
      title: "No",
    });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: "insufficient_scope", scope: "taskflow:write" });
    expect(refused.headers.get("www-authenticate")).toContain('error="insufficient_scope"');
    const tasks = await mcp.api.call<{ items: unknown[] }>("GET", `/api/projects/${org.project.id}/tasks`, {
      token: org.owner.token,
    });
    expect(tasks.body.items).toEqual([]);
  });
});
