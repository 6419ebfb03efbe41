import type { Task } from "@taskflow/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eras, startTestMcp, type TestMcp, type Via } from "./support/test-mcp.ts";

let mcp: TestMcp;
beforeAll(async () => {
  mcp = await startTestMcp();
});
afterAll(() => mcp.close());

const missing = "00000000-0000-4000-8000-000000000000";

// The same tour in each protocol era, each through the real SDK client of that era, over HTTP and over the
// stdio bin that relays to the server (what an agent's machine runs).
const ways = eras.flatMap((era) => (["http", "stdio"] as Via[]).map((via) => [era, via] as const));

describe.each(ways)("every tool in the %s era over %s: its happy path and its error result", (era, via) => {
  it("answers each call with structured output, and each mistake with an isError hint", async () => {
    const org = await mcp.organization();
    const worker = await org.agent("worker");
    const other = await org.agent("other");
    const agent = await mcp.connect(worker.key, era, via);
    const reviewer = await mcp.connect(await mcp.personToken(org.tenant, org.owner.sub), era, via);
    const p = org.project.id;

    const ok = async <T>(name: string, args: Record<string, unknown>, client = agent) => {
      const result = await client.call<T>(name, args);
      expect(result.isError, `${name}: ${result.text}`).toBe(false);
      expect(result.text.length).toBeGreaterThan(0);
      return result.data;
    };
    const fails = async (name: string, args: Record<string, unknown>, pattern: RegExp, client = agent) => {
      const result = await client.call(name, args);
      expect(result.isError, `${name} should fail`).toBe(true);
      expect(result.text).toMatch(pattern);
    };

    expect(
      (await ok<{ projects: { id: string }[] }>("taskflow_list_projects", {})).projects.map((x) => x.id),
    ).toContain(p);

    const task = await ok<Task>("taskflow_add_task", { projectId: p, title: "Tool tour", tags: ["tour"] });
    await fails("taskflow_add_task", { projectId: missing, title: "x" }, /not found/);

    expect(
      (await ok<{ items: Task[] }>("taskflow_list_tasks", { projectId: p, q: "tour" })).items,
    ).toHaveLength(1);
    await fails("taskflow_list_tasks", { projectId: missing }, /not found/);

    expect((await ok<{ task: Task }>("taskflow_get_task", { taskId: task.id })).task.title).toBe("Tool tour");
    await fails("taskflow_get_task", { taskId: missing }, /not found[\s\S]*taskflow_list/);

    const found = await ok<{ workers: { id: string }[] }>("taskflow_find_workers", {
      q: "other",
      projectId: p,
    });
    expect(found.workers.map((w) => w.id)).toContain(other.id);
    await fails("taskflow_find_workers", { q: "x", projectId: missing }, /not found/);

    const edited = await ok<Task>("taskflow_update_task", {
      taskId: task.id,
      priority: "high",
      expectedVersion: task.version,
    });
    expect(edited.priority).toBe("high");
    await fails(
      "taskflow_update_task",
      { taskId: task.id, title: "stale", expectedVersion: task.version },
      /changed|version/i,
    );

    await fails("taskflow_request_review", { taskId: task.id }, /can move to: .*in_progress/);
    expect((await ok<Task>("taskflow_start_task", { taskId: task.id })).status).toBe("in_progress");
    await fails("taskflow_start_task", { taskId: task.id }, /can move to|not allowed/);

    expect(
      (await ok<Task>("taskflow_update_progress", { taskId: task.id, progress: 60, note: "halfway" }))
        .progress,
    ).toBe(60);
    await fails("taskflow_update_progress", { taskId: missing, progress: 10 }, /not found/);

    expect(
      (await ok<Task>("taskflow_assign_task", { taskId: task.id, assigneeId: other.id })).assignee?.id,
    ).toBe(other.id);
    await fails("taskflow_assign_task", { taskId: task.id, assigneeId: missing }, /member|not found/i);

    const sub = await ok<Task>("taskflow_add_subtask", {
      parentId: task.id,
      title: "Part",
      assigneeId: other.id,
    });
    expect(sub.parentId).toBe(task.id);
    await fails("taskflow_add_subtask", { parentId: missing, title: "x" }, /not found/);

    expect(
      (await ok<{ id: string }>("taskflow_add_comment", { taskId: task.id, body: "note to self" })).id,
    ).toBeTruthy();
    await fails("taskflow_add_comment", { taskId: missing, body: "x" }, /not found/);

    expect((await ok<Task>("taskflow_block_task", { taskId: sub.id, note: "waiting on keys" })).status).toBe(
      "blocked",
    );
    await fails("taskflow_block_task", { taskId: sub.id, note: "again" }, /can move to|not allowed/);

    expect((await ok<Task>("taskflow_request_review", { taskId: task.id, note: "look" })).status).toBe(
      "review",
    );
    await fails("taskflow_approve_task", { taskId: task.id }, /role|not allow/i); // agents are members, not reviewers
    const rejected = await ok<Task>(
      "taskflow_reject_task",
      { taskId: task.id, reason: "add tests" },
      reviewer,
    );
    expect(rejected.status).toBe("in_progress");
    await fails("taskflow_reject_task", { taskId: task.id, reason: "again" }, /review/, reviewer);
    await ok("taskflow_request_review", { taskId: task.id });
    expect(
      (await ok<Task>("taskflow_approve_task", { taskId: task.id, note: "ship it" }, reviewer)).status,
    ).toBe("completed");
    await fails("taskflow_approve_task", { taskId: task.id }, /review/, reviewer);

    const other2 = await ok<Task>("taskflow_add_task", { projectId: p, title: "Finish me" });
    await ok("taskflow_start_task", { taskId: other2.id });
    expect((await ok<Task>("taskflow_complete_task", { taskId: other2.id })).status).toBe("completed");
    await fails("taskflow_complete_task", { taskId: other2.id }, /can move to|not allowed/);

    const history = await ok<{ items: { action: string }[] }>("taskflow_task_audit", {
      taskId: task.id,
      limit: 50,
    });
    expect(history.items.map((e) => e.action)).toContain("task.approved");
    await fails("taskflow_task_audit", { taskId: missing }, /not found/);
    const projectHistory = await ok<{ items: unknown[] }>("taskflow_project_audit", { projectId: p });
    expect(projectHistory.items.length).toBeGreaterThan(5);
    await fails("taskflow_project_audit", { projectId: missing }, /not found/);

    const doomed = await ok<Task>("taskflow_add_task", { projectId: p, title: "Delete me" });
    expect(
      (await ok<{ deletedIds: string[] }>("taskflow_delete_task", { taskId: doomed.id })).deletedIds,
    ).toEqual([doomed.id]);
    await fails("taskflow_delete_task", { taskId: doomed.id }, /not found/);

    const invalid = await agent.call("taskflow_update_progress", { taskId: task.id, progress: 250 });
    expect(invalid.isError).toBe(true);
    await agent.close();
    await reviewer.close();
    // Over stdio each client is a Node process loading the bin from source: slow on a busy machine.
  }, 120_000);
});
