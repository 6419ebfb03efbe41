import type { Task } from "@taskflow/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestMcp, type TestMcp } from "./support/test-mcp.ts";

let mcp: TestMcp;
beforeAll(async () => {
  mcp = await startTestMcp();
});
afterAll(() => mcp.close());

describe("claims, heartbeats and stop signals through MCP", () => {
  it("claims the next task, heartbeats, hears a person's stop, acknowledges it; another agent is told who holds it", async () => {
    const org = await mcp.organization();
    const a = await mcp.connect((await org.agent("claimer")).key);
    const b = await mcp.connect((await org.agent("latecomer")).key);
    const created = await mcp.api.call<Task>("POST", `/api/projects/${org.project.id}/tasks`, {
      token: org.owner.token,
      body: { title: "Only one of us", priority: "high" },
    });

    const claimed = await a.call<{ task: Task }>("taskflow_claim_task", { projectId: org.project.id });
    expect(claimed.isError).toBe(false);
    expect(claimed.data.task.id).toBe(created.body.id);
    expect(claimed.text).toContain("Heartbeat");

    const refused = await b.call("taskflow_claim_task", { taskId: created.body.id });
    expect(refused.isError).toBe(true);
    expect(refused.text).toContain("@claimer");
    const nothing = await b.call<{ task: Task | null }>("taskflow_claim_task", {});
    expect(nothing.data.task).toBeNull();

    const beat = await a.call<{ action: string }>("taskflow_heartbeat", {
      taskId: created.body.id,
      progress: 20,
    });
    expect(beat.data.action).toBe("continue");

    await mcp.api.call("POST", `/api/tasks/${created.body.id}/stop`, {
      token: org.owner.token,
      body: { reason: "priorities changed" },
    });
    const told = await a.call<{ action: string }>("taskflow_heartbeat", { taskId: created.body.id });
    expect(told.data.action).toBe("stop");
    expect(told.text).toContain("priorities changed");

    const ack = await a.call<Task>("taskflow_acknowledge_stop", {
      taskId: created.body.id,
      note: "stopped cleanly",
    });
    expect(ack.data.stop?.acknowledgedAt).not.toBeNull();
    expect(ack.data.claim).toBeNull();

    const audit = await mcp.api.call<{ items: { action: string; channel: string; actorType: string }[] }>(
      "GET",
      `/api/tasks/${created.body.id}/audit?limit=50`,
      { token: org.owner.token },
    );
    const trail = audit.body.items.map((e) => `${e.action}:${e.actorType}:${e.channel}`);
    expect(trail).toEqual(
      expect.arrayContaining([
        "task.claimed:agent:mcp",
        "task.stop_requested:human:api",
        "task.stop_acknowledged:agent:mcp",
      ]),
    );
    await a.close();
    await b.close();
  });

  it("lets the holder release a task, and refuses a heartbeat from someone who does not hold it", async () => {
    const org = await mcp.organization();
    const a = await mcp.connect((await org.agent("holder")).key);
    const b = await mcp.connect((await org.agent("bystander")).key);
    const created = await mcp.api.call<Task>("POST", `/api/projects/${org.project.id}/tasks`, {
      token: org.owner.token,
      body: { title: "Hand it back" },
    });
    await a.call("taskflow_claim_task", { taskId: created.body.id });
    const foreign = await b.call("taskflow_heartbeat", { taskId: created.body.id });
    expect(foreign.isError).toBe(true);
    const released = await a.call<Task>("taskflow_release_task", { taskId: created.body.id });
    expect(released.data.status).toBe("pending");
    const taken = await b.call<{ task: Task }>("taskflow_claim_task", { taskId: created.body.id });
    expect(taken.data.task.claim).not.toBeNull();
    await a.close();
    await b.close();
  });
});
