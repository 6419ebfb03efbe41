import type { IssuedAgentKey, Project, Task, TaskChainLink } from "@taskflow/contracts";
import { schema } from "@taskflow/core";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eras, startTestMcp, type TestMcp } from "./support/test-mcp.ts";

let mcp: TestMcp;
beforeAll(async () => {
  mcp = await startTestMcp();
});
afterAll(() => mcp.close());

describe.each(eras)("scoped keys and delegation through MCP (%s)", (era) => {
  it("refuses a key scoped to another project (isError) and audits the refused use as channel mcp", async () => {
    const org = await mcp.organization();
    const worker = await org.agent("scoped-worker");
    const other = (
      await mcp.api.call<Project>("POST", "/api/projects", { token: org.owner.token, body: { name: "Q" } })
    ).body;
    await mcp.api.db
      .insert(schema.projectMembers)
      .values({ projectId: other.id, workerId: worker.id, role: "member" });
    const rotated = await mcp.api.call<IssuedAgentKey>("POST", `/api/agents/${worker.id}/keys`, {
      token: org.owner.token,
      body: { scopes: { projectIds: [org.project.id] } },
    });
    expect(rotated.status).toBe(201);
    const agent = await mcp.connect(rotated.body.key, era);

    const refused = await agent.call("taskflow_add_task", { projectId: other.id, title: "Out of scope" });
    expect(refused.isError).toBe(true);
    expect(refused.text).toMatch(/not scoped to project/);
    const rows = await mcp.api.db
      .select()
      .from(schema.auditLog)
      .where(
        and(eq(schema.auditLog.tenantId, org.tenant), eq(schema.auditLog.action, "agent_key.scope_denied")),
      );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      entityId: rotated.body.id,
      projectId: other.id,
      actorId: worker.id,
      channel: "mcp",
    });

    const allowed = await agent.call<Task>("taskflow_add_task", {
      projectId: org.project.id,
      title: "In scope",
    });
    expect(allowed.isError, allowed.text).toBe(false);
    await agent.close();
  });

  it("records who delegated a subtask and shows the chain", async () => {
    const org = await mcp.organization();
    const lead = await org.agent("lead");
    const helper = await org.agent("helper");
    const agent = await mcp.connect(lead.key, era);
    const root = await agent.call<Task>("taskflow_add_task", { projectId: org.project.id, title: "Ship it" });
    const sub = await agent.call<Task>("taskflow_add_subtask", {
      parentId: root.data.id,
      title: "Write the tests",
      assigneeId: helper.id,
    });
    expect(sub.isError, sub.text).toBe(false);
    expect(sub.data.delegatedById).toBe(lead.id);
    const chain = await agent.call<{ chain: TaskChainLink[] }>("taskflow_task_chain", {
      taskId: sub.data.id,
    });
    expect(chain.isError, chain.text).toBe(false);
    expect(chain.data.chain.map((link) => [link.id, link.delegatedById])).toEqual([
      [root.data.id, null],
      [sub.data.id, lead.id],
    ]);
    expect(chain.text).toContain("@helper");
    await agent.close();
  });
});
