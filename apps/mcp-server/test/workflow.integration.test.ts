import type { AuditPage, Task, TaskDetail } from "@taskflow/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestMcp, type TestMcp } from "./support/test-mcp.ts";

let mcp: TestMcp;
beforeAll(async () => {
  mcp = await startTestMcp();
});
afterAll(() => mcp.close());

describe("agents work through MCP, people through REST, on the same state", () => {
  it("claims, progresses, delegates, completes, asks for review; a person approves; the audit tells it all", async () => {
    const org = await mcp.organization();
    const builder = await org.agent("builder");
    const helper = await org.agent("helper");
    const rest = (method: string, path: string, body?: unknown) =>
      mcp.api.call(method, path, { token: org.owner.token, ...(body ? { body } : {}) });
    const task = (
      await rest("POST", `/api/projects/${org.project.id}/tasks`, {
        title: "Ship the feature",
        assigneeId: builder.id,
      })
    ).body as Task;

    const agentA = await mcp.connect(builder.key);
    const mine = await agentA.call<{ items: Task[] }>("taskflow_list_tasks", {
      projectId: org.project.id,
      assigneeId: "me",
    });
    expect(mine.data.items.map((t) => t.id)).toEqual([task.id]);

    expect((await agentA.call("taskflow_start_task", { taskId: task.id, note: "on it" })).isError).toBe(
      false,
    );
    const progressed = await agentA.call<Task>("taskflow_update_progress", {
      taskId: task.id,
      progress: 40,
      note: "API done",
    });
    expect(progressed.data.progress).toBe(40);
    const sub = await agentA.call<Task>("taskflow_add_subtask", {
      parentId: task.id,
      title: "Write the docs",
      assigneeId: helper.id,
    });
    expect(sub.isError).toBe(false);
    expect(sub.data.assignee?.id).toBe(helper.id);

    const agentB = await mcp.connect(helper.key);
    const delegated = await agentB.call<{ items: Task[] }>("taskflow_list_tasks", {
      projectId: org.project.id,
      assigneeId: "me",
    });
    expect(delegated.data.items.map((t) => t.id)).toEqual([sub.data.id]);
    await agentB.call("taskflow_start_task", { taskId: sub.data.id });
    const done = await agentB.call<Task>("taskflow_complete_task", {
      taskId: sub.data.id,
      note: "docs written",
    });
    expect(done.data.status).toBe("completed");

    const review = await agentA.call<Task>("taskflow_request_review", { taskId: task.id, note: "ready" });
    expect(review.data.status).toBe("review");
    const approved = await rest("POST", `/api/tasks/${task.id}/approve`, { note: "good work" });
    expect(approved.status).toBe(200);

    const seenByAgent = await agentA.call<{ task: TaskDetail }>("taskflow_get_task", { taskId: task.id });
    const seenByRest = (await rest("GET", `/api/tasks/${task.id}`)).body as TaskDetail;
    expect(seenByAgent.data.task).toEqual(seenByRest);
    expect(seenByRest.status).toBe("completed");

    const audit = (await rest("GET", `/api/projects/${org.project.id}/audit?limit=100`)).body as AuditPage;
    const steps = audit.items
      .filter((e) => e.taskId === task.id || e.taskId === sub.data.id)
      .reverse()
      .map(
        (e) =>
          `${e.action}:${e.actorType}:${e.channel}:${e.actorId === builder.id ? "A" : e.actorId === helper.id ? "B" : "P"}`,
      );
    expect(steps).toEqual(
      expect.arrayContaining([
        "task.created:human:api:P",
        "task.status_changed:agent:mcp:A",
        "task.progress_updated:agent:mcp:A",
        "task.created:agent:mcp:A",
        "task.status_changed:agent:mcp:B",
        "task.approved:human:api:P",
      ]),
    );
    expect(steps.indexOf("task.progress_updated:agent:mcp:A")).toBeLessThan(
      steps.indexOf("task.approved:human:api:P"),
    );
    await agentA.close();
    await agentB.close();
  });

  it("offers every tool with the taskflow_ prefix, a description and honest annotations", async () => {
    const org = await mcp.organization();
    const agent = await mcp.connect((await org.agent("lister")).key);
    const { tools } = await agent.client.listTools();
    expect(tools.length).toBeGreaterThanOrEqual(19);
    for (const tool of tools) {
      expect(tool.name).toMatch(/^taskflow_[a-z_]+$/);
      expect(tool.description?.length).toBeGreaterThan(10);
      expect(typeof tool.annotations?.readOnlyHint).toBe("boolean");
      expect(tool.outputSchema).toBeDefined();
    }
    const byName = new Map(tools.map((t) => [t.name, t]));
    expect(byName.get("taskflow_delete_task")?.annotations?.destructiveHint).toBe(true);
    expect(byName.get("taskflow_list_tasks")?.annotations?.readOnlyHint).toBe(true);
    const prompts = await agent.client.listPrompts();
    expect(prompts.prompts.map((p) => p.name)).toContain("taskflow_workflow");
    const prompt = await agent.client.getPrompt({ name: "taskflow_workflow" });
    expect(JSON.stringify(prompt.messages)).toContain("taskflow_request_review");
    await agent.close();
  });

  it("serves a task as a resource", async () => {
    const org = await mcp.organization();
    const agent = await mcp.connect((await org.agent("reader")).key);
    const created = (
      await mcp.api.call("POST", `/api/projects/${org.project.id}/tasks`, {
        token: org.owner.token,
        body: { title: "Readable" },
      })
    ).body as Task;
    const resource = await agent.client.readResource({ uri: `taskflow://tasks/${created.id}` });
    const content = resource.contents[0];
    expect(content && "text" in content ? JSON.parse(content.text).title : null).toBe("Readable");
    await agent.close();
  });
});
