import type { AuditPage, Task, TaskDetail } from "@taskflow/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestMcp, type TestMcp } from "./support/test-mcp.ts";

let mcp: TestMcp;
beforeAll(async () => {
  mcp = await startTestMcp();
});
afterAll(() => mcp.close());

describe("agents work through MCP, people through REST, on the same state", () => {
  it("claims, heartbeats, progresses, delegates to a second agent who completes, asks for review; a person approves; the audit tells it all", async () => {
    const org = await mcp.organization();
    const builder = await org.agent("builder");
    const helper = await org.agent("helper");
    const rest = (method: string, path: string, body?: unknown) =>
      mcp.api.call(method, path, { token: org.owner.token, ...(body ? { body } : {}) });
    const task = (await rest("POST", `/api/projects/${org.project.id}/tasks`, { title: "Ship the feature" }))
      .body as Task;

    // Agent A claims the open task, keeps its lease alive, reports progress.
    const agentA = await mcp.connect(builder.key);
    const claimed = await agentA.call<{ task: Task }>("taskflow_claim_task", { taskId: task.id });
    expect(claimed.isError).toBe(false);
    expect(claimed.data.task).toMatchObject({ status: "in_progress", assignee: { id: builder.id } });
    expect(claimed.data.task.claim?.holderId).toBe(builder.id);
    const beat = await agentA.call<{ action: string; leaseExpiresAt: string }>("taskflow_heartbeat", {
      taskId: task.id,
      progress: 20,
      note: "schema sketched",
    });
    expect(beat.data.action).toBe("continue");
    expect(Date.parse(beat.data.leaseExpiresAt)).toBeGreaterThanOrEqual(
      Date.parse(claimed.data.task.claim?.leaseExpiresAt ?? ""),
    );
    const progressed = await agentA.call<Task>("taskflow_update_progress", {
      taskId: task.id,
      progress: 60,
      note: "API done",
    });
    expect(progressed.data.progress).toBe(60);

    // A delegates the docs to agent B, who finds them among its own work and completes them.
    const sub = await agentA.call<Task>("taskflow_add_subtask", {
      parentId: task.id,
      title: "Write the docs",
      description: "Done when the README explains the new endpoint.",
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
    expect((await agentB.call("taskflow_start_task", { taskId: sub.data.id })).isError).toBe(false);
    const done = await agentB.call<Task>("taskflow_complete_task", {
      taskId: sub.data.id,
      note: "docs written",
    });
    expect(done.data.status).toBe("completed");

    // A asks for review; a person approves through the REST API.
    const review = await agentA.call<Task>("taskflow_request_review", { taskId: task.id, note: "ready" });
    expect(review.data.status).toBe("review");
    const approved = await rest("POST", `/api/tasks/${task.id}/approve`, { note: "good work" });
    expect(approved.status).toBe(200);

    // REST and MCP see exactly the same state, of the parent and of the subtask.
    for (const id of [task.id, sub.data.id]) {
      const seenByAgent = await agentA.call<{ task: TaskDetail }>("taskflow_get_task", { taskId: id });
      const seenByRest = (await rest("GET", `/api/tasks/${id}`)).body as TaskDetail;
      expect(seenByAgent.data.task).toEqual(seenByRest);
      expect(seenByRest.status).toBe("completed");
    }

    // The audit, oldest first: each step, who did it (A, B or the person P), through which channel.
    const audit = (await rest("GET", `/api/projects/${org.project.id}/audit?limit=100`)).body as AuditPage;
    const who = (id: string | null) => (id === builder.id ? "A" : id === helper.id ? "B" : "P");
    const steps = audit.items
      .filter((e) => e.entityType === "task" && (e.taskId === task.id || e.taskId === sub.data.id))
      .reverse()
      .map((e) => {
        const after = e.after as { status?: string; progress?: number } | null;
        const progress = e.action === "task.progress_updated" ? ` ${after?.progress}%` : "";
        return `${e.taskId === task.id ? "parent" : "sub"} ${e.action}→${after?.status}${progress} by ${who(e.actorId)} (${e.actorType}, ${e.channel})`;
      });
    expect(steps).toEqual([
      "parent task.created→pending by P (human, api)",
      "parent task.claimed→in_progress by A (agent, mcp)",
      "parent task.progress_updated→in_progress 20% by A (agent, mcp)",
      "parent task.progress_updated→in_progress 60% by A (agent, mcp)",
      "sub task.created→pending by A (agent, mcp)",
      "sub task.status_changed→in_progress by B (agent, mcp)",
      "sub task.status_changed→completed by B (agent, mcp)",
      "parent task.status_changed→review by A (agent, mcp)",
      "parent task.approved→completed by P (human, api)",
    ]);
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
    await agent.close();
  });

  it("describes every input field of every tool, nested ones included", async () => {
    const org = await mcp.organization();
    const agent = await mcp.connect((await org.agent("reader-of-schemas")).key);
    const { tools } = await agent.client.listTools();
    const undescribed: string[] = [];
    let fields = 0;
    for (const tool of tools) {
      walkProperties(tool.inputSchema, tool.name, (path, property) => {
        fields++;
        const description = typeof property.description === "string" ? property.description.trim() : "";
        if (description.length < 3) undescribed.push(path);
      });
    }
    expect(undescribed).toEqual([]);
    // The walk reached the fields (a schema shape it cannot read would pass vacuously).
    expect(fields).toBeGreaterThan(tools.length * 2);
    await agent.close();
  });

  it("teaches the workflow with the real tool names: claim, heartbeat, stop, progress, review, delegation", async () => {
    const org = await mcp.organization();
    const agent = await mcp.connect((await org.agent("newcomer")).key);
    const prompts = await agent.client.listPrompts();
    expect(prompts.prompts.map((p) => p.name)).toContain("taskflow_workflow");
    const prompt = await agent.client.getPrompt({ name: "taskflow_workflow" });
    const text = prompt.messages.map((m) => (m.content.type === "text" ? m.content.text : "")).join("\n");
    const toolNames = new Set((await agent.client.listTools()).tools.map((t) => t.name));
    // Every name the prompt teaches is a tool the agent can call.
    const named = [...new Set(text.match(/taskflow_[a-z_]+/g) ?? [])];
    expect(named.filter((name) => !toolNames.has(name))).toEqual([]);
    // The loop, in the order an agent lives it.
    const loop = [
      "taskflow_claim_task",
      "taskflow_heartbeat",
      "taskflow_acknowledge_stop",
      "taskflow_update_progress",
      "taskflow_request_review",
    ];
    const positions = loop.map((name) => text.indexOf(name));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    // A heartbeat's "stop" answer is to be acknowledged.
    expect(text).toMatch(/"stop"[\s\S]*taskflow_acknowledge_stop/);
    // Delegation etiquette: to whom, what done means, the owner of a subtask, the chain.
    const delegation = text.slice(text.indexOf("Delegating"));
    for (const name of ["taskflow_add_subtask", "taskflow_find_workers", "taskflow_task_chain"]) {
      expect(delegation).toContain(name);
    }
    expect(delegation).toMatch(/what "done" means/);
    await agent.close();
  });

  it("lives the hand-in as the prompt tells it: the claim ends at review, a heartbeat says so, a rejection gives it back with a fresh claim", async () => {
    const org = await mcp.organization();
    const worker = await org.agent("hander-in");
    const agent = await mcp.connect(worker.key);
    const prompt = await agent.client.getPrompt({ name: "taskflow_workflow" });
    const text = prompt.messages.map((m) => (m.content.type === "text" ? m.content.text : "")).join("\n");
    const prose = text.replace(/\s+/g, " ");
    expect(prose).toContain("Handing the work in ends your claim: stop heartbeating that task");
    expect(prose).toContain(
      "rejects it with a reason: then it comes back to you in_progress with a fresh claim",
    );

    const task = (
      await mcp.api.call<Task>("POST", `/api/projects/${org.project.id}/tasks`, {
        token: org.owner.token,
        body: { title: "Hand it in" },
      })
    ).body;
    expect((await agent.call("taskflow_claim_task", { taskId: task.id })).isError).toBe(false);
    expect((await agent.call("taskflow_request_review", { taskId: task.id, note: "done" })).isError).toBe(
      false,
    );
    const late = await agent.call("taskflow_heartbeat", { taskId: task.id });
    expect(late.isError).toBe(true);
    expect(late.text).toMatch(/in review: its claim ended when the work was handed in/);
    expect(late.text).toMatch(/Stop heartbeating it\. If the review sends it back/);
    expect(late.text).not.toMatch(/Lease renewed|Carry on/);

    const rejected = await mcp.api.call("POST", `/api/tasks/${task.id}/reject`, {
      token: org.owner.token,
      body: { reason: "Add a test" },
    });
    expect(rejected.status).toBe(200);
    const mine = await agent.call<{ items: Task[] }>("taskflow_list_tasks", {
      projectId: org.project.id,
      assigneeId: "me",
      status: ["in_progress"],
    });
    expect(mine.data.items.map((t) => [t.id, t.claim?.holderId])).toEqual([[task.id, worker.id]]);
    const beat = await agent.call<{ action: string }>("taskflow_heartbeat", { taskId: task.id });
    expect(beat.isError, beat.text).toBe(false);
    expect(beat.text).toMatch(/Lease renewed until .*Carry on/);

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

type JsonSchema = { description?: unknown; properties?: Record<string, JsonSchema> } & Record<
  string,
  unknown
>;

/**
 * Calls `visit` for every property of an object schema, and of the object schemas nested in it
 * (property values, array items, anyOf / oneOf / allOf alternatives), with its dotted path.
 */
function walkProperties(
  schema: unknown,
  path: string,
  visit: (path: string, property: JsonSchema) => void,
): void {
  if (!schema || typeof schema !== "object") return;
  const node = schema as JsonSchema;
  for (const [name, property] of Object.entries(node.properties ?? {})) {
    visit(`${path}.${name}`, property);
    walkProperties(property, `${path}.${name}`, visit);
  }
  const nested = [
    node.items,
    ...["anyOf", "oneOf", "allOf"].flatMap((k) => (Array.isArray(node[k]) ? node[k] : [])),
  ];
  for (const child of nested) walkProperties(child, path, visit);
}
