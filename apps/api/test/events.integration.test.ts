import type { AuditEntry, Project, Task } from "@taskflow/contracts";
import { schema } from "@taskflow/core";
import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openEventStream } from "./support/sse-client.ts";
import { startTestApi, type TestApi } from "./support/test-api.ts";

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

async function projectOf(token: string, name: string): Promise<Project> {
  return (await api.call<Project>("POST", "/api/projects", { token, body: { name } })).body;
}

describe("live project events (SSE)", () => {
  it("delivers a change made by another request, as an audit entry", async () => {
    const ada = await api.signIn({ orgId: api.newTenant() });
    const project = await projectOf(ada.token, "Live");
    const stream = await openEventStream(`${api.baseUrl}/api/projects/${project.id}/events`, ada.token);
    expect(stream.status).toBe(200);
    expect(stream.contentType).toMatch(/^text\/event-stream/);
    const before = (await stream.waitFor(2)).length; // project.created and member.added, replayed
    await api.call("PATCH", `/api/projects/${project.id}`, {
      token: ada.token,
      body: { description: "now live" },
    });
    const events = await stream.waitFor(before + 1);
    const last = events.at(-1);
    expect(last?.event).toBe("project.updated");
    const entry = JSON.parse(last?.data ?? "{}") as AuditEntry;
    expect(entry).toMatchObject({ action: "project.updated", projectId: project.id, actorType: "human" });
    expect(last?.id).toBe(entry.id);
    await stream.close();
  });

  it("carries task and comment changes, each naming its task", async () => {
    const ada = await api.signIn({ orgId: api.newTenant() });
    const project = await projectOf(ada.token, "Busy");
    const stream = await openEventStream(`${api.baseUrl}/api/projects/${project.id}/events`, ada.token);
    const before = (await stream.waitFor(2)).length;
    const task = await api.call<Task>("POST", `/api/projects/${project.id}/tasks`, {
      token: ada.token,
      body: { title: "Watched" },
    });
    await api.call("PATCH", `/api/tasks/${task.body.id}/status`, {
      token: ada.token,
      body: { status: "in_progress" },
    });
    await api.call("POST", `/api/tasks/${task.body.id}/comments`, {
      token: ada.token,
      body: { body: "on it" },
    });
    const events = (await stream.waitFor(before + 3)).slice(before);
    expect(events.map((e) => e.event)).toEqual(["task.created", "task.status_changed", "comment.added"]);
    const entries = events.map((e) => JSON.parse(e.data) as AuditEntry);
    expect(entries.map((e) => e.taskId)).toEqual([task.body.id, task.body.id, task.body.id]);
    expect(entries[2]).toMatchObject({ entityType: "comment", after: { body: "on it" } });
    await stream.close();
  });

  it("resumes after a disconnect with Last-Event-ID without losing or repeating an event", async () => {
    const ada = await api.signIn({ orgId: api.newTenant() });
    const project = await projectOf(ada.token, "Resume");
    const first = await openEventStream(`${api.baseUrl}/api/projects/${project.id}/events`, ada.token);
    const seen = await first.waitFor(2);
    const lastId = seen.at(-1)?.id as string;
    await first.close();

    for (const description of ["one", "two", "three"]) {
      await api.call("PATCH", `/api/projects/${project.id}`, { token: ada.token, body: { description } });
    }
    const resumed = await openEventStream(
      `${api.baseUrl}/api/projects/${project.id}/events`,
      ada.token,
      lastId,
    );
    const missed = await resumed.waitFor(3);
    expect(
      missed.map((e) => (JSON.parse(e.data) as { after: { description: string } }).after.description),
    ).toEqual(["one", "two", "three"]);
    const ids = missed.map((e) => Number(e.id));
    expect(ids.every((id) => id > Number(lastId))).toBe(true);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);

    await api.call("PATCH", `/api/projects/${project.id}`, {
      token: ada.token,
      body: { description: "four" },
    });
    const all = await resumed.waitFor(4);
    expect(new Set(all.map((e) => e.id)).size).toBe(all.length);
    await resumed.close();
  });

  it("replays a history longer than a page in full on Last-Event-ID 0, a new stream its latest 100, and loses no change made as either opens", async () => {
    const ada = await api.signIn({ orgId: api.newTenant() });
    const project = await projectOf(ada.token, "Long history");
    const [created] = await api.db
      .select()
      .from(schema.auditLog)
      .where(eq(schema.auditLog.projectId, project.id))
      .orderBy(asc(schema.auditLog.id))
      .limit(1);
    if (!created) throw new Error("the project has no audit entry");
    // 1,500 more entries: more than one page of the replay (1,000), as a busy project has.
    const { id: _id, ...row } = created;
    await api.db
      .insert(schema.auditLog)
      .values(Array.from({ length: 1500 }, () => ({ ...row, action: "project.updated" })));
    const history = await api.db.$count(schema.auditLog, eq(schema.auditLog.projectId, project.id));
    const url = `${api.baseUrl}/api/projects/${project.id}/events`;

    const all = await openEventStream(url, ada.token, "0");
    const fresh = await openEventStream(url, ada.token);
    expect([all.status, fresh.status]).toEqual([200, 200]);
    // Made at once, while the streams may still be reading history (one page only lost it).
    await api.call("PATCH", `/api/projects/${project.id}`, {
      token: ada.token,
      body: { description: "fresh" },
    });
    for (const [stream, expected] of [
      [all, history + 1],
      [fresh, 100 + 1],
    ] as const) {
      const events = await stream.waitFor(expected, 30_000);
      const ids = events.map((e) => Number(e.id));
      expect(new Set(ids).size).toBe(expected);
      expect([...ids].sort((a, b) => a - b)).toEqual(ids);
      expect(JSON.parse(events.at(-1)?.data ?? "{}")).toMatchObject({ after: { description: "fresh" } });
      await stream.close();
    }
  });

  it("does not show one project's events on another's stream", async () => {
    const ada = await api.signIn({ orgId: api.newTenant() });
    const watched = await projectOf(ada.token, "Watched");
    const other = await projectOf(ada.token, "Other");
    const stream = await openEventStream(`${api.baseUrl}/api/projects/${watched.id}/events`, ada.token);
    await stream.waitFor(2);
    await api.call("PATCH", `/api/projects/${other.id}`, {
      token: ada.token,
      body: { description: "elsewhere" },
    });
    await api.call("PATCH", `/api/projects/${watched.id}`, {
      token: ada.token,
      body: { description: "here" },
    });
    const events = await stream.waitFor(3);
    expect(events.every((e) => (JSON.parse(e.data) as AuditEntry).projectId === watched.id)).toBe(true);
    await stream.close();
  });

  it("answers 404 for another organization's project and 401 without a token", async () => {
    const ada = await api.signIn({ orgId: api.newTenant() });
    const eve = await api.signIn({ orgId: api.newTenant() });
    const project = await projectOf(ada.token, "Private");
    const foreign = await api.call("GET", `/api/projects/${project.id}/events`, { token: eve.token });
    expect(foreign.status).toBe(404);
    const anonymous = await api.call("GET", `/api/projects/${project.id}/events`);
    expect(anonymous.status).toBe(401);
    const badResume = await api.call("GET", `/api/projects/${project.id}/events`, {
      token: ada.token,
      headers: { "last-event-id": "yesterday" },
    });
    expect(badResume.status).toBe(400);
  });
});

describe("events across API instances", () => {
  it("delivers a change made through another instance on the same database", async () => {
    // On PostgreSQL the second instance listens on its own connection (as another replica would);
    // on PGlite both share the one in-process database.
    const second = await startTestApi({ database: api.database, issuer: api.issuer });
    try {
      const ada = await api.signIn({ orgId: api.newTenant() });
      const project = await projectOf(ada.token, "Replicas");
      const stream = await openEventStream(`${api.baseUrl}/api/projects/${project.id}/events`, ada.token);
      await stream.waitFor(2);
      const changed = await second.call("PATCH", `/api/projects/${project.id}`, {
        token: ada.token,
        body: { description: "via the other replica" },
      });
      expect(changed.status).toBe(200);
      const events = await stream.waitFor(3);
      expect(events.at(-1)?.event).toBe("project.updated");
      await stream.close();
    } finally {
      await second.close();
    }
  });
});
