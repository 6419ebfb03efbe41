import type {
  MarkedRead,
  Notification,
  NotificationPage,
  NotificationSettings,
  Task,
  UnreadCount,
} from "@taskflow/contracts";
import { schema } from "@taskflow/core";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixtures } from "./support/fixtures.ts";
import { openEventStream } from "./support/sse-client.ts";
import { startTestApi, type TestApi } from "./support/test-api.ts";

// The inbox through the API: what puts a notification in whose inbox (the rules of
// packages/core/src/notifications/kinds.ts), and the operations on it.

let api: TestApi;
let fx: ReturnType<typeof fixtures>;
beforeAll(async () => {
  api = await startTestApi();
  fx = fixtures(api);
});
afterAll(() => api.close());

type Person = Awaited<ReturnType<TestApi["signIn"]>>;

/** An owner, an admin, two members and an agent in one project of a fresh organization. */
async function team() {
  const orgId = api.newTenant();
  const owner = await api.signIn({ orgId, orgRole: "member", name: "Olive Owner" });
  const admin = await api.signIn({ orgId, orgRole: "member", name: "Ada Admin" });
  const member = await api.signIn({ orgId, orgRole: "member", name: "Max Member" });
  const other = await api.signIn({ orgId, orgRole: "member", name: "Otto Other" });
  const orgAdmin = await api.signIn({ orgId, orgRole: "owner" });
  const project = await fx.createProject(owner.token, "Inbox");
  await fx.addMember(owner.token, project.id, admin.workerId, "admin");
  await fx.addMember(owner.token, project.id, member.workerId, "member");
  await fx.addMember(owner.token, project.id, other.workerId, "member");
  const { agent, apiKey } = await fx.registerAgent(orgAdmin.token, `@bot-${orgId.slice(-6)}`);
  await fx.addMember(owner.token, project.id, agent.id, "member");
  return { orgId, owner, admin, member, other, project, agent, agentKey: apiKey.key };
}

const inbox = async (person: Person, query = "") =>
  (await api.call<NotificationPage>("GET", `/api/notifications${query}`, { token: person.token })).body.items;

const count = async (person: Person, query = "") =>
  (await api.call<UnreadCount>("GET", `/api/notifications/unread-count${query}`, { token: person.token }))
    .body;

async function createTask(person: Person, projectId: string, body: Record<string, unknown>) {
  const res = await api.call<Task>("POST", `/api/projects/${projectId}/tasks`, { token: person.token, body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

describe("what reaches whose inbox", () => {
  it("a task assigned to a person: they are told, by name; assigning oneself or an agent tells nobody", async () => {
    const t = await team();
    const task = await createTask(t.owner, t.project.id, {
      title: "Fix the login",
      assigneeId: t.member.workerId,
    });
    const [assigned] = await inbox(t.member);
    expect(assigned).toMatchObject({
      kind: "assigned",
      title: "Olive Owner assigned you “Fix the login”",
      taskId: task.id,
      projectId: t.project.id,
      readAt: null,
      actor: { id: t.owner.workerId, kind: "human" },
    });
    await createTask(t.member, t.project.id, { title: "Mine", assigneeId: t.member.workerId });
    await createTask(t.owner, t.project.id, { title: "Bot's", assigneeId: t.agent.id });
    expect((await inbox(t.member)).map((n) => n.title)).toEqual(["Olive Owner assigned you “Fix the login”"]);
    expect(await inbox(t.owner)).toEqual([]);

    const reassigned = await api.call("PATCH", `/api/tasks/${task.id}/assign`, {
      token: t.owner.token,
      body: { assigneeId: t.other.workerId },
    });
    expect(reassigned.status).toBe(200);
    expect((await inbox(t.other)).map((n) => n.kind)).toEqual(["assigned"]);
  });

  it("a task moved to review asks its creator when they may review, else the project's admins and owners", async () => {
    const t = await team();
    // Created by an admin: the admin reviews it.
    const byAdmin = await createTask(t.admin, t.project.id, {
      title: "By the admin",
      assigneeId: t.member.workerId,
    });
    await api.call("PATCH", `/api/tasks/${byAdmin.id}/status`, {
      token: t.member.token,
      body: { status: "in_progress" },
    });
    const toReview = await api.call("PATCH", `/api/tasks/${byAdmin.id}/status`, {
      token: t.member.token,
      body: { status: "review" },
    });
    expect(toReview.status).toBe(200);
    expect((await inbox(t.admin, "?kind=review_requested")).map((n) => n.taskId)).toEqual([byAdmin.id]);
    expect(await inbox(t.owner, "?kind=review_requested")).toEqual([]);
    // Created by a member (who may not review): every admin and owner is asked.
    const byMember = await createTask(t.member, t.project.id, { title: "By the member" });
    await api.call("PATCH", `/api/tasks/${byMember.id}/status`, {
      token: t.member.token,
      body: { status: "in_progress" },
    });
    await api.call("PATCH", `/api/tasks/${byMember.id}/status`, {
      token: t.member.token,
      body: { status: "review" },
    });
    expect((await inbox(t.owner, "?kind=review_requested")).map((n) => n.taskId)).toEqual([byMember.id]);
    expect((await inbox(t.admin, "?kind=review_requested")).map((n) => n.taskId)).toEqual([
      byMember.id,
      byAdmin.id,
    ]);
    expect(await inbox(t.member, "?kind=review_requested")).toEqual([]);
    // Approving it is an outcome on the member's task.
    const approved = await api.call("POST", `/api/tasks/${byMember.id}/approve`, {
      token: t.admin.token,
      body: {},
    });
    expect(approved.status).toBe(200);
    const [outcome] = await inbox(t.member, "?kind=outcome");
    expect(outcome).toMatchObject({ title: "“By the member” is completed", actor: { id: t.admin.workerId } });
  });

  it("an @mention of a person of the project tells them with the comment; addresses, strangers and agents are not mentions", async () => {
    const t = await team();
    const task = await createTask(t.owner, t.project.id, { title: "Discuss" });
    const outsider = await api.signIn({ orgId: t.orgId, orgRole: "member" });
    const body = `Could ${t.member.handle} look? cc ${t.admin.handle}, not ${outsider.handle} nor ${t.agent.handle}; mail ${t.other.handle.slice(1)}@example.com`;
    const res = await api.call("POST", `/api/tasks/${task.id}/comments`, {
      token: t.owner.token,
      body: { body },
    });
    expect(res.status).toBe(201);
    for (const person of [t.member, t.admin]) {
      const [mention] = await inbox(person);
      expect(mention).toMatchObject({
        kind: "mention",
        body,
        title: "Olive Owner mentioned you on “Discuss”",
      });
    }
    expect(await inbox(t.other)).toEqual([]);
    expect(await inbox(outsider)).toEqual([]);
    // Mentioning oneself is no news.
    await api.call("POST", `/api/tasks/${task.id}/comments`, {
      token: t.member.token,
      body: { body: `note to self ${t.member.handle}` },
    });
    expect(await inbox(t.member)).toHaveLength(1);
  });

  it("a stop acknowledged tells the person who asked for it", async () => {
    const t = await team();
    const task = await createTask(t.owner, t.project.id, { title: "Long job" });
    const claim = await api.call("POST", `/api/tasks/${task.id}/claim`, { token: t.agentKey, body: {} });
    expect(claim.status, JSON.stringify(claim.body)).toBe(200);
    const stop = await api.call("POST", `/api/tasks/${task.id}/stop`, {
      token: t.admin.token,
      body: { reason: "Wrong approach" },
    });
    expect(stop.status, JSON.stringify(stop.body)).toBe(200);
    const ack = await api.call("POST", `/api/tasks/${task.id}/stop/acknowledge`, {
      token: t.agentKey,
      body: { note: "Stopped, nothing pushed" },
    });
    expect(ack.status, JSON.stringify(ack.body)).toBe(200);
    const [stopped] = await inbox(t.admin, "?kind=stop_acknowledged");
    expect(stopped).toMatchObject({ taskId: task.id, actor: { id: t.agent.id, kind: "agent" } });
  });
});

describe("the inbox's operations", () => {
  it("counts unread in all and per kind, filters, pages, marks one and all read", async () => {
    const t = await team();
    for (let i = 0; i < 5; i++) {
      await createTask(t.owner, t.project.id, { title: `Task ${i}`, assigneeId: t.member.workerId });
    }
    const discussed = await createTask(t.owner, t.project.id, { title: "Talk" });
    await api.call("POST", `/api/tasks/${discussed.id}/comments`, {
      token: t.owner.token,
      body: { body: `${t.member.handle} please` },
    });
    expect(await count(t.member)).toEqual({ unread: 6, byKind: { assigned: 5, mention: 1 } });
    expect(await count(t.member, "?kind=mention")).toEqual({ unread: 1, byKind: { mention: 1 } });

    const first = await api.call<NotificationPage>("GET", "/api/notifications?limit=4", {
      token: t.member.token,
    });
    expect(first.body.items.map((n) => n.kind)).toEqual(["mention", "assigned", "assigned", "assigned"]);
    const second = await api.call<NotificationPage>(
      "GET",
      `/api/notifications?limit=4&cursor=${first.body.nextCursor}`,
      { token: t.member.token },
    );
    expect(second.body.items.map((n) => n.title)).toEqual([
      "Olive Owner assigned you “Task 1”",
      "Olive Owner assigned you “Task 0”",
    ]);
    expect(second.body.nextCursor).toBeNull();

    const mention = first.body.items[0] as Notification;
    const read = await api.call<Notification>("POST", `/api/notifications/${mention.id}/read`, {
      token: t.member.token,
    });
    expect(read.status).toBe(200);
    expect(read.body.readAt).not.toBeNull();
    const again = await api.call<Notification>("POST", `/api/notifications/${mention.id}/read`, {
      token: t.member.token,
    });
    expect(again.body.readAt).toBe(read.body.readAt);
    expect(await count(t.member)).toEqual({ unread: 5, byKind: { assigned: 5 } });
    expect((await inbox(t.member, "?unread=true")).map((n) => n.kind)).toEqual(Array(5).fill("assigned"));

    const some = await api.call<MarkedRead>("POST", "/api/notifications/read-all", {
      token: t.member.token,
      body: { kind: "mention" },
    });
    expect(some.body).toEqual({ marked: 0 });
    const all = await api.call<MarkedRead>("POST", "/api/notifications/read-all", { token: t.member.token });
    expect(all.status).toBe(200);
    expect(all.body).toEqual({ marked: 5 });
    expect(await count(t.member)).toEqual({ unread: 0, byKind: {} });
    expect(await inbox(t.member)).toHaveLength(6);
  });

  it("refuses bad input by name", async () => {
    const t = await team();
    const badKind = await api.call("GET", "/api/notifications?kind=everything", { token: t.member.token });
    expect(badKind.status).toBe(400);
    expect(JSON.stringify(badKind.body)).toContain("query.kind");
    const badCursor = await api.call("GET", "/api/notifications?cursor=bm9wZQ", { token: t.member.token });
    expect(badCursor.status).toBe(422);
    expect(JSON.stringify(badCursor.body)).toContain("query.cursor");
    const badId = await api.call("POST", "/api/notifications/not-a-uuid/read", { token: t.member.token });
    expect(badId.status).toBe(400);
    const extra = await api.call("POST", "/api/notifications/read-all", {
      token: t.member.token,
      body: { kind: "mention", everything: true },
    });
    expect(extra.status).toBe(400);
  });

  it("settings: the inbox always, mail per kind with defaults; a change is audited", async () => {
    const t = await team();
    const before = await api.call<NotificationSettings>("GET", "/api/notifications/settings", {
      token: t.member.token,
    });
    expect(before.status).toBe(200);
    expect(before.body.kinds.find((k) => k.kind === "question")).toMatchObject({
      email: "immediate",
      inApp: "always",
    });
    expect(before.body.kinds.find((k) => k.kind === "assigned")).toMatchObject({ email: "digest" });
    const changed = await api.call<NotificationSettings>("PATCH", "/api/notifications/settings", {
      token: t.member.token,
      body: { assigned: "off", mention: "digest" },
    });
    expect(changed.status).toBe(200);
    const modes = Object.fromEntries(changed.body.kinds.map((k) => [k.kind, k.email]));
    expect(modes).toMatchObject({ assigned: "off", mention: "digest", question: "immediate" });
    const audit = await api.db
      .select()
      .from(schema.auditLog)
      .where(and(eq(schema.auditLog.entityId, t.member.workerId), eq(schema.auditLog.entityType, "worker")));
    expect(audit.map((row) => [row.action, row.after])).toEqual([
      ["notification_settings.changed", { email: { assigned: "off", mention: "digest" } }],
    ]);
    const bad = await api.call("PATCH", "/api/notifications/settings", {
      token: t.member.token,
      body: { assigned: "hourly" },
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain("body.assigned");
    const unknown = await api.call("PATCH", "/api/notifications/settings", {
      token: t.member.token,
      body: { everything: "off" },
    });
    expect(unknown.status).toBe(400);
  });
});

describe("whose inbox it is", () => {
  it("a person sees only their own: someone else's notification is not found, agents have no inbox", async () => {
    const t = await team();
    await createTask(t.owner, t.project.id, { title: "For Max", assigneeId: t.member.workerId });
    const [mine] = await inbox(t.member);
    const stranger = await api.call("POST", `/api/notifications/${mine?.id}/read`, { token: t.other.token });
    expect(stranger.status).toBe(404);
    const otherTenant = await api.signIn({ orgId: api.newTenant(), orgRole: "owner" });
    expect(
      (await api.call("POST", `/api/notifications/${mine?.id}/read`, { token: otherTenant.token })).status,
    ).toBe(404);
    expect(await inbox(otherTenant)).toEqual([]);
    const agent = await api.call("GET", "/api/notifications", { token: t.agentKey });
    expect(agent.status).toBe(403);
    expect((await count(t.member)).unread).toBe(1);
  });

  it("a person removed from a project no longer sees its notifications anywhere; added back, they return", async () => {
    const t = await team();
    await createTask(t.owner, t.project.id, { title: "Before leaving", assigneeId: t.member.workerId });
    const elsewhere = await fx.createProject(t.admin.token, "Elsewhere");
    await fx.addMember(t.admin.token, elsewhere.id, t.member.workerId, "member");
    await createTask(t.admin, elsewhere.id, { title: "Stays", assigneeId: t.member.workerId });
    const [gone] = (await inbox(t.member)).filter((n) => n.projectId === t.project.id);
    const stream = await openEventStream(`${api.baseUrl}/api/notifications/events`, t.member.token);
    const [opened] = await stream.waitFor(1);
    expect(JSON.parse(opened?.data ?? "{}")).toMatchObject({ unread: 2 });

    const removed = await api.call("DELETE", `/api/projects/${t.project.id}/members/${t.member.workerId}`, {
      token: t.owner.token,
    });
    expect(removed.status).toBe(204);
    expect((await inbox(t.member)).map((n) => n.title)).toEqual(["Ada Admin assigned you “Stays”"]);
    expect(await count(t.member)).toEqual({ unread: 1, byKind: { assigned: 1 } });
    expect(
      (await api.call("POST", `/api/notifications/${gone?.id}/read`, { token: t.member.token })).status,
    ).toBe(404);
    const marked = await api.call<MarkedRead>("POST", "/api/notifications/read-all", {
      token: t.member.token,
    });
    expect(marked.body.marked).toBe(1);
    // The live stream drops it from the count at once.
    const events = await stream.waitFor(3);
    expect(events.filter((e) => e.event === "inbox").map((e) => JSON.parse(e.data).unread)).toEqual([
      2, 1, 0,
    ]);
    await stream.close();

    await fx.addMember(t.owner.token, t.project.id, t.member.workerId, "member");
    expect((await inbox(t.member, "?unread=true")).map((n) => n.id)).toEqual([gone?.id]);
  });
});

describe("the live inbox", () => {
  it("starts with the count, then each notification as it commits and the count as it changes", async () => {
    const t = await team();
    const stream = await openEventStream(`${api.baseUrl}/api/notifications/events`, t.member.token);
    expect(stream.status).toBe(200);
    expect(stream.contentType).toContain("text/event-stream");
    await stream.waitFor(1);
    const task = await createTask(t.owner, t.project.id, { title: "Live", assigneeId: t.member.workerId });
    const events = await stream.waitFor(3);
    expect(events.map((e) => e.event)).toEqual(["inbox", "notification", "inbox"]);
    const delivered = JSON.parse(events[1]?.data ?? "{}") as Notification;
    expect(delivered).toMatchObject({ kind: "assigned", taskId: task.id });
    expect(events[1]?.id).toBe(delivered.seq);
    expect(JSON.parse(events[2]?.data ?? "{}")).toEqual({ unread: 1, byKind: { assigned: 1 } });
    // Another person's notification never reaches this stream.
    await createTask(t.owner, t.project.id, { title: "Not yours", assigneeId: t.other.workerId });
    await api.call("POST", `/api/notifications/${delivered.id}/read`, { token: t.member.token });
    const after = await stream.waitFor(4);
    expect(after[3]?.event).toBe("inbox");
    expect(JSON.parse(after[3]?.data ?? "{}")).toEqual({ unread: 0, byKind: {} });
    expect(after.filter((e) => e.event === "notification")).toHaveLength(1);
    await stream.close();

    // Reconnecting with Last-Event-ID replays what was missed.
    await createTask(t.owner, t.project.id, { title: "Missed", assigneeId: t.member.workerId });
    const resumed = await openEventStream(
      `${api.baseUrl}/api/notifications/events`,
      t.member.token,
      delivered.seq,
    );
    const replay = await resumed.waitFor(2);
    expect(replay.map((e) => e.event)).toEqual(["notification", "inbox"]);
    expect(JSON.parse(replay[0]?.data ?? "{}")).toMatchObject({ title: "Olive Owner assigned you “Missed”" });
    await resumed.close();
  });

  it("refuses a malformed Last-Event-ID by name, never with the database's words", async () => {
    const t = await team();
    for (const bad of ["not-a-number", "-1", "1e400", "9".repeat(40), "1; select 1", "0x10"]) {
      const res = await api.call("GET", "/api/notifications/events", {
        token: t.member.token,
        headers: { "last-event-id": bad },
      });
      expect(res.status, bad).toBe(400);
      expect(JSON.stringify(res.body), bad).toContain("last-event-id");
      expect(JSON.stringify(res.body), bad).not.toMatch(
        /failed query|params:|\bfrom\b|sqlstate|postgres|pglite|drizzle/i,
      );
    }
  });

  it("refuses agents, and ends when a personal access token is revoked", async () => {
    const t = await team();
    const agent = await fetch(`${api.baseUrl}/api/notifications/events`, {
      headers: { authorization: `Bearer ${t.agentKey}` },
    });
    expect(agent.status).toBe(403);
    const made = await api.call<{ id: string; token: string }>("POST", "/api/personal-tokens", {
      token: t.member.token,
      body: { name: "inbox script", scopes: ["taskflow:read"] },
    });
    expect(made.status).toBe(201);
    const stream = await openEventStream(`${api.baseUrl}/api/notifications/events`, made.body.token);
    await stream.waitFor(1);
    const revoked = await api.call("DELETE", `/api/personal-tokens/${made.body.id}`, {
      token: t.member.token,
    });
    expect(revoked.status).toBe(204);
    await stream.waitForEnd(10_000);
    const last = stream.events.at(-1);
    expect(last?.event).toBe("access_ended");
    expect(JSON.parse(last?.data ?? "{}")).toMatchObject({ reason: "revoked" });
  });
});
