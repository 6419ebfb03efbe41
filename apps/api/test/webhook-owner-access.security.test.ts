// Red-team finding 1: a webhook kept sending every project event after its creator lost access. Alice, made
// admin of the project, added a webhook to her own server with events ["*"]; the owner removed her (204, and
// her GET of the project answered 404), then wrote a task: her receiver still got member.removed,
// task.unassigned and task.created with the whole task (delivered: 200). A banned person, a deleted agent or
// an agent whose keys were revoked kept receiving the project's data the same way.
//
// A webhook now sends with its owner's access, decided before each delivery as an event stream is
// (webhookOwnerRefusal → authorizeProjectEvents): when the owner loses it, the webhook is paused (audited by
// the system, `pausedReason` in its state) and nothing more leaves until an admin resumes it and so takes it
// over. Receivers are real HTTP servers on loopback, so these tests allow private targets (the test API's
// default); the target guard's own tests run without.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { AuditPage, Project, Webhook, WebhookPayload, WebhookWithSecret } from "@taskflow/contracts";
import { WebhookDispatcher } from "@taskflow/core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { fixtures } from "./support/fixtures.ts";
import { startTestApi, type TestApi } from "./support/test-api.ts";

/** People the SSO banned, and from when (its revocation feed: credentials issued before are void). */
const banned = new Map<string, number>();
const isSubjectRevoked = (sub: string, issuedAt: number) => (banned.get(sub) ?? 0) > issuedAt;

let api: TestApi;
let f: ReturnType<typeof fixtures>;
beforeAll(async () => {
  // The owner sweep runs only when a test calls it, so each test knows which path paused a webhook.
  api = await startTestApi(undefined, {
    webhookDispatcher: { isSubjectRevoked, ownerSweepIntervalMs: 3_600_000 },
  });
  f = fixtures(api);
});
afterAll(() => api.close());

interface Receiver {
  url: string;
  events: () => string[];
  /** The events of project changes made at or after `since` (the audit entry's time). */
  eventsSince: (since: Date) => string[];
  close: () => Promise<void>;
}
const receivers: Receiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

/** A webhook receiver on loopback: the events it was sent, in order. */
async function receiver(): Promise<Receiver> {
  const got: WebhookPayload[] = [];
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => {
      body += chunk.toString("utf8");
    });
    req.on("end", () => {
      got.push(JSON.parse(body) as WebhookPayload);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const r = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/alice-r1`,
    events: () => got.map((p) => p.event),
    eventsSince: (since: Date) =>
      got.filter((p) => Date.parse(p.createdAt) >= since.getTime()).map((p) => p.event),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  receivers.push(r);
  return r;
}

async function webhookOf(token: string, projectId: string, id: string): Promise<Webhook> {
  const res = await api.call<Webhook>("GET", `/api/projects/${projectId}/webhooks/${id}`, { token });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

/** A project of a fresh organization, its owner, and its webhook's receiver. */
async function setup() {
  const orgId = api.newTenant();
  const owner = await api.signIn({ orgId, orgRole: "owner" });
  const project: Project = await f.createProject(owner.token, "pa");
  return { orgId, owner, project, hook: await receiver() };
}

async function addWebhook(token: string, projectId: string, url: string, events = ["*"]) {
  const res = await api.call<WebhookWithSecret>("POST", `/api/projects/${projectId}/webhooks`, {
    token,
    body: { url, events },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

/** Writes a task as the owner, then waits until the webhook is paused; returns its state. */
async function writeUntilPaused(ownerToken: string, projectId: string, webhookId: string): Promise<Webhook> {
  const task = await api.call("POST", `/api/projects/${projectId}/tasks`, {
    token: ownerToken,
    body: { title: "SECRET after removal", description: "board-only numbers" },
  });
  expect(task.status).toBe(201);
  await expect
    .poll(async () => (await webhookOf(ownerToken, projectId, webhookId)).active, { timeout: 15_000 })
    .toBe(false);
  return webhookOf(ownerToken, projectId, webhookId);
}

describe("a webhook sends only while its owner may receive the project's events", () => {
  it("a removed member's webhook: paused, nothing of the project sent after the removal, resumable by an admin who takes it over", async () => {
    const { orgId, owner, project, hook } = await setup();
    const alice = await api.signIn({ orgId, orgRole: "member" });
    await f.addMember(owner.token, project.id, alice.workerId, "admin");
    const created = await addWebhook(alice.token, project.id, hook.url);
    await expect.poll(() => hook.events(), { timeout: 10_000 }).toContain("webhook.created");

    const removed = await api.call("DELETE", `/api/projects/${project.id}/members/${alice.workerId}`, {
      token: owner.token,
    });
    expect(removed.status).toBe(204);
    expect((await api.call("GET", `/api/projects/${project.id}`, { token: alice.token })).status).toBe(404);

    const state = await writeUntilPaused(owner.token, project.id, created.id);
    expect(state).toMatchObject({ active: false, createdBy: alice.workerId });
    expect(state.pausedReason).toMatch(new RegExp(`its owner ${alice.handle} may not read the project`));
    // A moment for anything wrongly sent to arrive: nothing written after the removal reached Alice.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(hook.events()).toEqual(["webhook.created"]);
    const log = await api.call<{ items: { event: string; status: string; attempts: number }[] }>(
      "GET",
      `/api/projects/${project.id}/webhooks/${created.id}/deliveries?limit=100`,
      { token: owner.token },
    );
    // What was queued before the pause waits, unattempted (the task too, if it was written before the
    // dispatcher looked); once paused, nothing more is queued.
    const held = log.body.items.filter((d) => d.event !== "webhook.created");
    expect(held.map((d) => d.event)).toContain("member.removed");
    expect(held.every((d) => d.status === "pending" && d.attempts === 0)).toBe(true);

    // Audited by the system, and seen by the project's readers without the URL.
    const audit = await api.call<AuditPage>("GET", `/api/projects/${project.id}/audit`, {
      token: owner.token,
    });
    const paused = audit.body.items.find((e) => e.action === "webhook.paused");
    expect(paused).toMatchObject({ actorType: "system", entityId: created.id });
    expect(paused?.after).toMatchObject({ active: false, pausedReason: state.pausedReason });
    expect(JSON.stringify(paused)).not.toContain("alice-r1");

    // Re-adding Alice does not bring it back by itself: only an admin's decision does.
    await f.addMember(owner.token, project.id, alice.workerId, "member");
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect((await webhookOf(owner.token, project.id, created.id)).active).toBe(false);
    expect(hook.events()).toEqual(["webhook.created"]);

    // The owner resumes it and becomes its owner: what waited is sent, with the owner's access.
    const resumed = await api.call<Webhook>("PATCH", `/api/projects/${project.id}/webhooks/${created.id}`, {
      token: owner.token,
      body: { active: true },
    });
    expect(resumed.status).toBe(200);
    expect(resumed.body).toMatchObject({ active: true, pausedReason: null, createdBy: owner.workerId });
    await expect.poll(() => hook.events(), { timeout: 10_000 }).toContain("member.removed");
    await api.call("POST", `/api/projects/${project.id}/tasks`, {
      token: owner.token,
      body: { title: "after" },
    });
    await expect.poll(() => hook.events(), { timeout: 10_000 }).toContain("task.created");
  });

  it("a banned person's webhook: paused by its next delivery, and by the owner sweep with nothing to deliver", async () => {
    const { orgId, owner, project, hook } = await setup();
    const bob = await api.signIn({ orgId, orgRole: "member" });
    await f.addMember(owner.token, project.id, bob.workerId, "admin");
    const busy = await addWebhook(bob.token, project.id, hook.url);
    // Subscribed to an event this test never causes: only the sweep can find it.
    const quiet = await addWebhook(bob.token, project.id, hook.url, ["project.deleted"]);
    // The first's own creation, and the second's reaching it.
    await expect
      .poll(() => hook.events().filter((e) => e === "webhook.created").length, { timeout: 10_000 })
      .toBe(2);
    banned.set(bob.sub, Math.floor(Date.now() / 1000) + 5);

    // A delivery pauses it before anything leaves (the API reads webhooks without the revocation feed,
    // so the quiet one still shows active until the sweep).
    const paused = await writeUntilPaused(owner.token, project.id, busy.id);
    expect(paused.pausedReason).toMatch(
      new RegExp(`its owner ${bob.handle} was banned or their account deleted`),
    );
    expect((await webhookOf(owner.token, project.id, quiet.id)).active).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(hook.events()).toEqual(["webhook.created", "webhook.created"]);

    // With nothing queued for it, the owner sweep every dispatcher runs each minute pauses the other.
    const sweeper = new WebhookDispatcher(api.db, { isSubjectRevoked });
    expect(await sweeper.sweepOwners()).toBeGreaterThanOrEqual(1);
    const swept = await webhookOf(owner.token, project.id, quiet.id);
    expect(swept).toMatchObject({ active: false, createdBy: bob.workerId });
    expect(swept.pausedReason).toMatch(/was banned or their account deleted/);
  });

  it("a deleted agent's webhook, and one whose agent has no live key left, are paused", async () => {
    const { owner, project, hook } = await setup();
    const made: { id: string; agentId: string; keyId: string }[] = [];
    for (const handle of ["hooker-deleted", "hooker-revoked"]) {
      const { agent, apiKey } = await f.registerAgent(owner.token, handle, {
        scopes: { actions: ["read", "manage"] },
      });
      await f.addMember(owner.token, project.id, agent.id, "admin");
      const webhook = await addWebhook(apiKey.key, project.id, hook.url);
      made.push({ id: webhook.id, agentId: agent.id, keyId: apiKey.id });
    }
    const [deleted, revoked] = made as [(typeof made)[0], (typeof made)[0]];
    expect((await api.call("DELETE", `/api/agents/${deleted.agentId}`, { token: owner.token })).status).toBe(
      204,
    );
    expect(
      (
        await api.call("DELETE", `/api/agents/${revoked.agentId}/keys/${revoked.keyId}`, {
          token: owner.token,
        })
      ).status,
    ).toBe(204);
    // What the deletion caused may still reach the second webhook, whose agent had a live key then.
    const revokedAt = new Date();
    const deletedState = await writeUntilPaused(owner.token, project.id, deleted.id);
    const revokedState = await webhookOf(owner.token, project.id, revoked.id);
    expect(deletedState.pausedReason).toMatch(/was deleted/);
    await expect
      .poll(async () => (await webhookOf(owner.token, project.id, revoked.id)).pausedReason, {
        timeout: 10_000,
      })
      .toMatch(/has no live API key/);
    expect(revokedState.createdBy).toBe(revoked.agentId);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(hook.eventsSince(revokedAt).filter((e) => !e.startsWith("webhook."))).toEqual([]);
  });

  it("refuses a webhook to a caller whose access no delivery could check (an organization admin outside the project)", async () => {
    const { orgId, project, hook } = await setup();
    const admin = await api.signIn({ orgId, orgRole: "admin" });
    const res = await api.call<{ detail: string }>("POST", `/api/projects/${project.id}/webhooks`, {
      token: admin.token,
      body: { url: hook.url, events: ["*"] },
    });
    expect(res.status).toBe(403);
    expect(res.body.detail).toMatch(/join the project first/);
    await f.addMember(admin.token, project.id, admin.workerId, "viewer");
    await addWebhook(admin.token, project.id, hook.url);
  });
});
