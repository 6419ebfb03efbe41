import { Client as ModernClient, ProtocolError } from "@modelcontextprotocol/client";
import type { AgentRun, Task } from "@taskflow/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, rawListen } from "./support/raw-listen.ts";
import { startTestMcp, type TestMcp } from "./support/test-mcp.ts";

/**
 * `subscriptions/listen` (2026-07-28) through the real v2 SDK client, and on the wire where the client hides
 * what ended a stream: a project's task changes, a task's, a run's prompts and questions, each decided by
 * core's authorizeProjectEvents; another tenant's resources refused as not found; a caller who loses the
 * project cut off with `access_ended`; a limit on a caller's open listens; the 2025 era untouched.
 * (Delivery from another process on the same database, and the drain: listen-replicas.postgres.test.ts.)
 */
let mcp: TestMcp;
beforeAll(async () => {
  mcp = await startTestMcp({ listensPerCaller: 2 });
});
afterAll(() => mcp.close());

interface TaskflowEvent {
  id: string;
  action: string;
  entityType: string;
  taskId: string | null;
}
interface Heard {
  uri: string;
  event: TaskflowEvent;
}

/** A 2026-07-28 client of the agent's key, with every `notifications/resources/updated` it hears. */
async function listener(key: string) {
  const connection = await mcp.connect(key, "2026-07-28");
  const client = connection.client;
  if (!(client instanceof ModernClient)) throw new Error("the 2026-07-28 era is spoken by the v2 client");
  const heard: Heard[] = [];
  client.setNotificationHandler("notifications/resources/updated", (notification) => {
    const event = notification.params._meta?.["taskflow/event"] as TaskflowEvent;
    heard.push({ uri: notification.params.uri, event });
  });
  return { ...connection, client, heard };
}

async function newTask(org: Awaited<ReturnType<TestMcp["organization"]>>, title: string) {
  const created = await mcp.api.call<Task>("POST", `/api/projects/${org.project.id}/tasks`, {
    token: org.owner.token,
    body: { title },
  });
  expect(created.status).toBe(201);
  return created.body;
}

describe("subscriptions/listen over the database's notifications", () => {
  it("offers resource subscriptions to 2026-07-28 clients only", async () => {
    const org = await mcp.organization();
    const agent = await org.agent("era-checker");
    const modern = await listener(agent.key);
    const legacy = await mcp.connect(agent.key, "2025-11-25");
    try {
      expect(modern.client.getServerCapabilities()?.resources?.subscribe).toBe(true);
      // The 2025 era's resources/subscribe needs a session: never offered there.
      expect(legacy.client.getServerCapabilities()?.resources?.subscribe).toBeUndefined();
    } finally {
      await modern.close();
      await legacy.close();
    }
  });

  it("carries a project's task changes, and a task's own, as they commit", async () => {
    const org = await mcp.organization();
    const agent = await org.agent("task-watcher");
    const watched = await newTask(org, "Watched task");
    const { client, heard, call, close } = await listener(agent.key);
    try {
      const projectUri = `taskflow://projects/${org.project.id}/tasks`;
      const taskUri = `taskflow://tasks/${watched.id}`;
      const subscription = await client.listen({ resourceSubscriptions: [projectUri, taskUri] });
      expect(subscription.honoredFilter).toEqual({ resourceSubscriptions: [projectUri, taskUri] });

      // Another task of the project, made through REST: the project hears it, the watched task does not.
      const other = await newTask(org, "Another task");
      const created = await eventually(
        () => heard.find((h) => h.event.taskId === other.id),
        "the new task's notification",
      );
      expect(created).toMatchObject({
        uri: projectUri,
        event: { action: "task.created", entityType: "task" },
      });

      // The watched task claimed through MCP: both URIs hear it.
      const claimed = await call("taskflow_claim_task", { taskId: watched.id });
      expect(claimed.isError, claimed.text).toBe(false);
      await eventually(() => heard.find((h) => h.uri === taskUri), "the watched task's notification");
      await eventually(
        () => heard.find((h) => h.uri === projectUri && h.event.taskId === watched.id),
        "the project's notification of the claim",
      );
      expect(heard.filter((h) => h.uri === taskUri).every((h) => h.event.taskId === watched.id)).toBe(true);
      await subscription.close();
      expect(await subscription.closed).toBe("local");
    } finally {
      await close();
    }
  });

  it("carries a run's prompts and questions to its agent, and nothing else of the run", async () => {
    const org = await mcp.organization();
    const agent = await org.agent("run-listener");
    const task = await newTask(org, "Choose the cache");
    const { client, heard, call, close } = await listener(agent.key);
    try {
      expect((await call("taskflow_claim_task", { taskId: task.id })).isError).toBe(false);
      const opened = await call<{ run: AgentRun }>("taskflow_post_activity", {
        taskId: task.id,
        type: "thought",
        body: "Redis or an LRU?",
      });
      expect(opened.isError, opened.text).toBe(false);
      const runUri = `taskflow://runs/${opened.data.run.id}`;
      const subscription = await client.listen({ resourceSubscriptions: [runUri] });

      // The agent's own thought is not a prompt: only what people say (and the agent asks) is carried.
      await call("taskflow_post_activity", { runId: opened.data.run.id, type: "thought", body: "Measuring" });
      const prompted = await mcp.api.call("POST", `/api/runs/${opened.data.run.id}/activities`, {
        token: org.owner.token,
        body: { type: "prompt", body: "Keep it simple" },
      });
      expect(prompted.status).toBe(201);
      const prompt = await eventually(() => heard[0], "the prompt's notification");
      expect(prompt).toMatchObject({ uri: runUri, event: { action: "run.prompt", entityType: "run" } });
      expect(heard).toHaveLength(1);
      await subscription.close();
    } finally {
      await close();
    }
  });

  it("refuses what the caller cannot read as not found: another tenant's project, task and run, malformed URIs", async () => {
    const mine = await mcp.organization();
    const theirs = await mcp.organization();
    const outsider = await mine.agent("outsider");
    const task = await newTask(theirs, "Not yours");
    const { client, close } = await listener(outsider.key);
    try {
      for (const uri of [
        `taskflow://projects/${theirs.project.id}/tasks`,
        `taskflow://tasks/${task.id}`,
        `taskflow://runs/${crypto.randomUUID()}`,
        "taskflow://tasks/not-a-uuid",
        "https://example.com/tasks",
      ]) {
        const refused = await client.listen({ resourceSubscriptions: [uri] }).then(
          () => null,
          (error: unknown) => error,
        );
        expect(refused, uri).toBeInstanceOf(ProtocolError);
        expect((refused as ProtocolError).code).toBe(-32602);
        expect((refused as ProtocolError).message).toContain(`Resource ${uri} not found`);
      }
      // One refused URI among readable ones opens nothing: the field that was wrong is named.
      const raw = await rawListen(mcp.mcpUrl, outsider.key, [
        `taskflow://projects/${mine.project.id}/tasks`,
        `taskflow://projects/${theirs.project.id}/tasks`,
      ]);
      expect(raw.streaming).toBe(false);
      expect(raw.messages[0]?.error).toMatchObject({
        code: -32602,
        data: { field: "params.notifications.resourceSubscriptions[1]" },
      });
    } finally {
      await close();
    }
  });

  it("needs the read scope from a token, as reading the resource does", async () => {
    const org = await mcp.organization();
    const uri = `taskflow://projects/${org.project.id}/tasks`;
    const noRead = await rawListen(mcp.mcpUrl, await mcp.personToken(org.tenant, "scopeless", "openid"), [
      uri,
    ]);
    expect(noRead.status).toBe(403);
    const reader = await rawListen(mcp.mcpUrl, await mcp.personToken(org.tenant, "owner-reader"), [uri]);
    expect(reader.status).toBe(200);
    await eventually(() => reader.messages[0], "the acknowledgement");
    expect(reader.messages[0]?.method).toBe("notifications/subscriptions/acknowledged");
    await reader.cancel();
  });

  it("ends the listen of a caller removed from the project, with access_ended as its last message", async () => {
    const org = await mcp.organization();
    const agent = await org.agent("soon-removed");
    const uri = `taskflow://projects/${org.project.id}/tasks`;
    const raw = await rawListen(mcp.mcpUrl, agent.key, [uri]);
    expect(raw.streaming).toBe(true);
    const { client, close } = await listener(agent.key);
    try {
      const subscription = await client.listen({ resourceSubscriptions: [uri] });
      await eventually(() => raw.messages[0], "the acknowledgement");

      const removed = await mcp.api.call("DELETE", `/api/projects/${org.project.id}/members/${agent.id}`, {
        token: org.owner.token,
      });
      expect(removed.status).toBe(204);
      await raw.ended;
      const last = raw.messages.at(-1);
      expect(last?.id).toBe("raw-listen");
      expect(last?.error?.data?.accessEnded?.reason).toBe("lost");
      // The SDK client sees the server end it.
      expect(await subscription.closed).toBe("remote");
      // And it cannot listen again.
      await expect(client.listen({ resourceSubscriptions: [uri] })).rejects.toThrow(
        `Resource ${uri} not found`,
      );
    } finally {
      await close();
    }
  });

  it("holds a caller to its limit of open listens, and frees a place when one closes", async () => {
    const org = await mcp.organization();
    const agent = await org.agent("greedy-listener");
    const uri = `taskflow://projects/${org.project.id}/tasks`;
    const { client, close } = await listener(agent.key);
    try {
      const first = await client.listen({ resourceSubscriptions: [uri] });
      await client.listen({ resourceSubscriptions: [uri] });
      await expect(client.listen({ resourceSubscriptions: [uri] })).rejects.toThrow(
        /Subscription limit reached/,
      );
      // Another caller of the same organization is not held to this one's limit.
      const colleague = await org.agent("colleague");
      const theirs = await rawListen(mcp.mcpUrl, colleague.key, [uri]);
      expect(theirs.streaming).toBe(true);
      await theirs.cancel();

      await first.close();
      const again = await eventually(
        () => client.listen({ resourceSubscriptions: [uri] }).catch(() => undefined),
        "a place freed by closing a listen",
      );
      expect(again.honoredFilter).toEqual({ resourceSubscriptions: [uri] });
    } finally {
      await close();
    }
  });
});
