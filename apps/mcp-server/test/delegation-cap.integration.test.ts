import type { Task } from "@taskflow/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestMcp, type TestMcp } from "./support/test-mcp.ts";

// DELEGATION_MAX_DEPTH is one rule for the API and the MCP server: the MCP server used the domain's default
// (5) whatever was configured, and assigning an existing subtask was no delegation at all (issue 12,
// finding 7). A cap of 2 here, as the chart would set it for both.
let mcp: TestMcp;
beforeAll(async () => {
  mcp = await startTestMcp({ delegationMaxDepth: 2 });
});
afterAll(() => mcp.close());

describe("the delegation depth cap through MCP", () => {
  it("refuses the third link by creating or by assigning, records the others, and says who can lift it", async () => {
    const org = await mcp.organization();
    const [a1, a2, a3, a4] = [
      await org.agent("cap-a1"),
      await org.agent("cap-a2"),
      await org.agent("cap-a3"),
      await org.agent("cap-a4"),
    ];
    const c1 = await mcp.connect(a1.key);
    const c2 = await mcp.connect(a2.key);
    const c3 = await mcp.connect(a3.key);
    const root = await c1.call<Task>("taskflow_add_task", { projectId: org.project.id, title: "Root" });
    const s1 = await c1.call<Task>("taskflow_add_subtask", { parentId: root.data.id, title: "S1" });
    const handed = await c1.call<Task>("taskflow_assign_task", { taskId: s1.data.id, assigneeId: a2.id });
    expect(handed.isError, handed.text).toBe(false);
    expect(handed.data.delegatedById).toBe(a1.id);
    const s2 = await c2.call<Task>("taskflow_add_subtask", {
      parentId: s1.data.id,
      title: "S2",
      assigneeId: a3.id,
    });
    expect(s2.data.delegatedById).toBe(a2.id);

    const created = await c3.call("taskflow_add_subtask", {
      parentId: s2.data.id,
      title: "S3",
      assigneeId: a4.id,
    });
    expect(created.isError).toBe(true);
    expect(created.text).toMatch(/delegation depth cap reached.*at most 2.*ask a person to re-plan/s);
    const unassigned = await c3.call<Task>("taskflow_add_subtask", { parentId: s2.data.id, title: "S3" });
    expect(unassigned.isError, unassigned.text).toBe(false);
    const assigned = await c3.call("taskflow_assign_task", { taskId: unassigned.data.id, assigneeId: a4.id });
    expect(assigned.isError).toBe(true);
    expect(assigned.text).toMatch(/delegation depth cap reached/);
    const read = await mcp.api.call<Task>("GET", `/api/tasks/${unassigned.data.id}`, {
      token: org.owner.token,
    });
    expect(read.body).toMatchObject({ assignee: null, delegatedById: null });
    for (const client of [c1, c2, c3]) await client.close();
  });
});
