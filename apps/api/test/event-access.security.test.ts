// A live event stream lasts only as long as its caller may read the project (issue 12, item 5): a stream
// opened before a key was revoked, an agent deleted, a member removed, a project deleted or a token expired
// stops delivering within the bound the README states (eventAccessRecheckMs, 5 s), and ends with a last
// `access_ended` event saying why. Each case keeps writing task titles into the project after the cut, as an
// attacker holding the stream would hope to read them.
import type { AuditEntry, IssuedPersonalToken } from "@taskflow/contracts";
import { eventAccessRecheckMs, schema } from "@taskflow/core";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixtures } from "./support/fixtures.ts";
import { openEventStream } from "./support/sse-client.ts";
import { startTestApi, type TestApi } from "./support/test-api.ts";

let api: TestApi;
let f: ReturnType<typeof fixtures>;
beforeAll(async () => {
  api = await startTestApi();
  f = fixtures(api);
});
afterAll(() => api.close());

/** Slack for a loaded machine: a re-decision is one or two database round trips. */
const slackMs = 2_500;
type Stream = Awaited<ReturnType<typeof openEventStream>>;

function eventsUrl(projectId: string): string {
  return `${api.baseUrl}/api/projects/${projectId}/events`;
}

/** A stream that is live: it has delivered a change made after it opened. */
async function liveStream(projectId: string, credential: string, writer: string): Promise<Stream> {
  const stream = await openEventStream(eventsUrl(projectId), credential);
  expect(stream.status).toBe(200);
  await api.call("POST", `/api/projects/${projectId}/tasks`, { token: writer, body: { title: "before" } });
  await expect.poll(() => titles(stream), { timeout: 10_000 }).toContain("before");
  return stream;
}

function titles(stream: Stream): string[] {
  return stream.events
    .filter((e) => e.event === "task.created")
    .map((e) => String((JSON.parse(e.data) as AuditEntry & { after: { title: string } }).after.title));
}

/**
 * Writes a task titled `secret N` every 200 ms into the project until the stream ends or the bound (plus
 * slack) has passed; returns when it stopped.
 */
async function keepWriting(projectId: string, writer: string, stream: Stream, untilMs: number) {
  for (let n = 1; !stream.ended() && Date.now() < untilMs; n++) {
    await api.call("POST", `/api/projects/${projectId}/tasks`, {
      token: writer,
      body: { title: `secret ${n}` },
    });
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Events delivered whose audit entry was written after `ms` (since the epoch). */
function writtenAfter(stream: Stream, ms: number) {
  return stream.events.filter(
    (e) => e.event !== "access_ended" && Date.parse((JSON.parse(e.data) as AuditEntry).createdAt) > ms,
  );
}

function lastEnd(stream: Stream): { reason: string; detail: string } | undefined {
  const last = stream.events.at(-1);
  return last?.event === "access_ended"
    ? (JSON.parse(last.data) as { reason: string; detail: string })
    : undefined;
}

async function person(orgId: string, orgRole: "owner" | "admin" | "member" = "member") {
  return api.signIn({ orgId, orgRole });
}

describe("a stream whose caller loses access stops delivering within the bound", () => {
  it("a revoked agent key: not one event written after the revocation, access_ended (revoked); reconnecting is refused", async () => {
    const orgId = api.newTenant();
    const owner = await person(orgId, "owner");
    const project = await f.createProject(owner.token, "Revoked");
    const { agent, apiKey } = await f.registerAgent(owner.token, "watcher");
    await f.addMember(owner.token, project.id, agent.id, "viewer");
    const stream = await liveStream(project.id, apiKey.key, owner.token);

    const cut = Date.now();
    const revoked = await api.call("DELETE", `/api/agents/${agent.id}/keys/${apiKey.id}`, {
      token: owner.token,
    });
    expect(revoked.status).toBe(204);
    await keepWriting(project.id, owner.token, stream, cut + eventAccessRecheckMs + slackMs);

    const endedAt = await stream.waitForEnd(1_000);
    expect(endedAt - cut).toBeLessThan(eventAccessRecheckMs + slackMs);
    // The revocation is announced to the tenant's streams in its own transaction: decided before the next
    // event, so no task written after it reaches the stream, however slow the machine.
    expect(titles(stream).filter((t) => t.startsWith("secret"))).toEqual([]);
    expect(lastEnd(stream)).toMatchObject({ reason: "revoked" });
    expect((await openEventStream(eventsUrl(project.id), apiKey.key)).status).toBe(401);
    // Operators see it: the re-decisions and the streams ended, by reason.
    const metrics = String((await api.call("GET", "/metrics")).body);
    expect(metrics).toMatch(/^taskflow_event_streams_ended_total\{reason="revoked"\} [1-9]/m);
    expect(metrics).toMatch(/^taskflow_event_stream_decisions_seconds_count\{outcome="refused"\} [1-9]/m);
  });

  it("a key revoked where nothing announces it (a lost notification): nothing delivered after the bound", async () => {
    const orgId = api.newTenant();
    const owner = await person(orgId, "owner");
    const project = await f.createProject(owner.token, "Unannounced");
    const { agent, apiKey } = await f.registerAgent(owner.token, "quiet");
    await f.addMember(owner.token, project.id, agent.id, "viewer");
    const stream = await liveStream(project.id, apiKey.key, owner.token);

    await api.db
      .update(schema.agentKeys)
      .set({ revokedAt: new Date() })
      .where(eq(schema.agentKeys.id, apiKey.id));
    // Committed now: a decision started before this saw the key still good and holds for the bound after it.
    const cut = Date.now();
    await keepWriting(project.id, owner.token, stream, cut + eventAccessRecheckMs + slackMs);

    const endedAt = await stream.waitForEnd(1_000);
    expect(endedAt - cut).toBeLessThan(eventAccessRecheckMs + slackMs);
    expect(lastEnd(stream)).toMatchObject({ reason: "revoked" });
    // Written (by the database's clock, this machine's) after the bound: never delivered, however late the
    // network hands over what was sent in time.
    expect(writtenAfter(stream, cut + eventAccessRecheckMs)).toEqual([]);
  });

  it("a deleted agent: not one event written after the deletion, access_ended at once", async () => {
    const orgId = api.newTenant();
    const owner = await person(orgId, "owner");
    const project = await f.createProject(owner.token, "Deleted agent");
    const { agent, apiKey } = await f.registerAgent(owner.token, "doomed");
    await f.addMember(owner.token, project.id, agent.id, "member");
    const stream = await liveStream(project.id, apiKey.key, owner.token);

    const cut = Date.now();
    expect((await api.call("DELETE", `/api/agents/${agent.id}`, { token: owner.token })).status).toBe(204);
    await keepWriting(project.id, owner.token, stream, cut + eventAccessRecheckMs + slackMs);

    const endedAt = await stream.waitForEnd(1_000);
    expect(endedAt - cut).toBeLessThan(eventAccessRecheckMs + slackMs);
    // Deleting an agent removes its memberships, announced on the project's channel: decided before the
    // next event, so no task written after it reaches the stream, however slow the machine.
    expect(titles(stream).filter((t) => t.startsWith("secret"))).toEqual([]);
    expect(lastEnd(stream)).toMatchObject({ reason: "revoked" });
  });

  it("a removed member: not one event written after the removal, access_ended (lost); reconnecting is 404", async () => {
    const orgId = api.newTenant();
    const owner = await person(orgId, "owner");
    const bob = await person(orgId);
    const project = await f.createProject(owner.token, "Removed");
    await f.addMember(owner.token, project.id, bob.workerId, "member");
    const stream = await liveStream(project.id, bob.token, owner.token);

    const cut = Date.now();
    const removed = await api.call("DELETE", `/api/projects/${project.id}/members/${bob.workerId}`, {
      token: owner.token,
    });
    expect(removed.status).toBe(204);
    await keepWriting(project.id, owner.token, stream, cut + eventAccessRecheckMs + slackMs);

    const endedAt = await stream.waitForEnd(1_000);
    expect(endedAt - cut).toBeLessThan(eventAccessRecheckMs + slackMs);
    expect(titles(stream).filter((t) => t.startsWith("secret"))).toEqual([]);
    expect(lastEnd(stream)).toMatchObject({ reason: "lost" });
    expect((await openEventStream(eventsUrl(project.id), bob.token)).status).toBe(404);
  });

  it("a member re-roled to viewer keeps the stream: the re-decision does not end what is still allowed", async () => {
    const orgId = api.newTenant();
    const owner = await person(orgId, "owner");
    const bob = await person(orgId);
    const project = await f.createProject(owner.token, "Re-roled");
    await f.addMember(owner.token, project.id, bob.workerId, "member");
    const stream = await liveStream(project.id, bob.token, owner.token);
    const changed = await api.call("PATCH", `/api/projects/${project.id}/members/${bob.workerId}`, {
      token: owner.token,
      body: { role: "viewer" },
    });
    expect(changed.status).toBe(200);
    await api.call("POST", `/api/projects/${project.id}/tasks`, {
      token: owner.token,
      body: { title: "still seen" },
    });
    await expect.poll(() => titles(stream), { timeout: 10_000 }).toContain("still seen");
    expect(stream.ended()).toBe(false);
    await stream.close();
  });

  it("a deleted project: access_ended (lost) within the bound", async () => {
    const orgId = api.newTenant();
    const owner = await person(orgId, "owner");
    const bob = await person(orgId);
    const project = await f.createProject(owner.token, "Deleted");
    await f.addMember(owner.token, project.id, bob.workerId, "viewer");
    const stream = await liveStream(project.id, bob.token, owner.token);

    const cut = Date.now();
    expect((await api.call("DELETE", `/api/projects/${project.id}`, { token: owner.token })).status).toBe(
      204,
    );
    const endedAt = await stream.waitForEnd(eventAccessRecheckMs + slackMs);
    expect(endedAt - cut).toBeLessThan(eventAccessRecheckMs + slackMs);
    expect(lastEnd(stream)).toMatchObject({ reason: "lost" });
  });

  it("losing one project ends that project's stream only: the caller's other projects keep delivering", async () => {
    const orgId = api.newTenant();
    const owner = await person(orgId, "owner");
    const bob = await person(orgId);
    const lost = await f.createProject(owner.token, "Lost");
    const kept = await f.createProject(owner.token, "Kept");
    await f.addMember(owner.token, lost.id, bob.workerId, "member");
    await f.addMember(owner.token, kept.id, bob.workerId, "member");
    const lostStream = await liveStream(lost.id, bob.token, owner.token);
    const keptStream = await liveStream(kept.id, bob.token, owner.token);

    await api.call("DELETE", `/api/projects/${lost.id}/members/${bob.workerId}`, { token: owner.token });
    await lostStream.waitForEnd(eventAccessRecheckMs + slackMs);
    await api.call("POST", `/api/projects/${kept.id}/tasks`, {
      token: owner.token,
      body: { title: "after" },
    });
    await expect.poll(() => titles(keptStream), { timeout: 10_000 }).toContain("after");
    expect(keptStream.ended()).toBe(false);
    await keptStream.close();
  });
});

describe("a stream ends when its credential expires", () => {
  it("an access token: access_ended (expired) at its exp, nothing written after it; the renewed token decides again", async () => {
    const orgId = api.newTenant();
    const owner = await person(orgId, "owner");
    // An organization admin reads every project of the organization without being a member.
    const carol = await person(orgId, "admin");
    const project = await f.createProject(owner.token, "Expiring");
    const expiresAt = Math.floor(Date.now() / 1000) + 4;
    const shortLived = await api.issuer.mint({
      sub: carol.sub,
      orgId,
      orgRole: "admin",
      expiresIn: expiresAt,
    });
    const stream = await liveStream(project.id, shortLived, owner.token);

    await keepWriting(project.id, owner.token, stream, expiresAt * 1000 + slackMs);
    const endedAt = await stream.waitForEnd(1_000);
    // Ended at the token's exp (whole seconds), not within the verifier's 5 s of clock tolerance after it.
    expect(endedAt).toBeGreaterThanOrEqual(expiresAt * 1000);
    expect(endedAt - expiresAt * 1000).toBeLessThan(slackMs);
    expect(lastEnd(stream)).toMatchObject({ reason: "expired" });
    expect(writtenAfter(stream, expiresAt * 1000)).toEqual([]);

    // Reconnecting with it at once is refused, though the verifier's clock tolerance would still pass it.
    expect((await openEventStream(eventsUrl(project.id), shortLived)).status).toBe(401);
    // Meanwhile the SSO lowered her to an organization member: her next token no longer reads the project.
    const renewed = await api.issuer.mint({ sub: carol.sub, orgId, orgRole: "member" });
    expect((await openEventStream(eventsUrl(project.id), renewed)).status).toBe(404);
  });

  it("an agent key: access_ended (expired) at the key's expires_at", async () => {
    const orgId = api.newTenant();
    const owner = await person(orgId, "owner");
    const project = await f.createProject(owner.token, "Expiring key");
    const { agent, apiKey } = await f.registerAgent(owner.token, "short-lived");
    await f.addMember(owner.token, project.id, agent.id, "member");
    // Keys live at least a day through the API: bring this one's end near.
    const expiresAt = new Date(Date.now() + 4_000);
    await api.db.update(schema.agentKeys).set({ expiresAt }).where(eq(schema.agentKeys.id, apiKey.id));
    const stream = await liveStream(project.id, apiKey.key, owner.token);

    const endedAt = await stream.waitForEnd(4_000 + slackMs);
    expect(endedAt).toBeGreaterThanOrEqual(expiresAt.getTime());
    expect(endedAt - expiresAt.getTime()).toBeLessThan(slackMs);
    expect(lastEnd(stream)).toMatchObject({ reason: "expired" });
  });
});

describe("who may open a stream at all: the same rule as reading the project", () => {
  it("refuses a key without `read` or scoped to other projects, a token without taskflow:read, and another tenant", async () => {
    const orgId = api.newTenant();
    const owner = await person(orgId, "owner");
    const project = await f.createProject(owner.token, "Guarded");
    const other = await f.createProject(owner.token, "Elsewhere");
    const noRead = await f.registerAgent(owner.token, "writer-only", {
      scopes: { projectIds: null, actions: ["write_tasks"] },
    });
    const elsewhere = await f.registerAgent(owner.token, "elsewhere", {
      scopes: { projectIds: [other.id], actions: ["read"] },
    });
    for (const { agent } of [noRead, elsewhere])
      await f.addMember(owner.token, project.id, agent.id, "member");
    const openidOnly = await api.issuer.mint({ sub: owner.sub, orgId, extra: { scope: "openid" } });
    const stranger = await person(api.newTenant(), "owner");

    expect((await openEventStream(eventsUrl(project.id), noRead.apiKey.key)).status).toBe(403);
    expect((await openEventStream(eventsUrl(project.id), elsewhere.apiKey.key)).status).toBe(403);
    expect((await openEventStream(eventsUrl(project.id), openidOnly)).status).toBe(403);
    expect((await openEventStream(eventsUrl(project.id), stranger.token)).status).toBe(404);
  });
});

describe("a stream opened with a personal access token", () => {
  async function patOf(token: string): Promise<IssuedPersonalToken> {
    const issued = await api.call<IssuedPersonalToken>("POST", "/api/personal-tokens", {
      token,
      body: { name: "watcher script", scopes: ["taskflow:read"] },
    });
    expect(issued.status, JSON.stringify(issued.body)).toBe(201);
    return issued.body;
  }

  it("revoked: not one event written after the revocation, access_ended (revoked)", async () => {
    const orgId = api.newTenant();
    const owner = await person(orgId, "owner");
    const bob = await person(orgId);
    const project = await f.createProject(owner.token, "Scripted");
    await f.addMember(owner.token, project.id, bob.workerId, "member");
    const pat = await patOf(bob.token);
    const stream = await liveStream(project.id, pat.token, owner.token);

    const cut = Date.now();
    const revoked = await api.call("DELETE", `/api/personal-tokens/${pat.id}`, { token: bob.token });
    expect(revoked.status).toBe(204);
    await keepWriting(project.id, owner.token, stream, cut + eventAccessRecheckMs + slackMs);
    const endedAt = await stream.waitForEnd(1_000);
    expect(endedAt - cut).toBeLessThan(eventAccessRecheckMs + slackMs);
    expect(titles(stream).filter((t) => t.startsWith("secret"))).toEqual([]);
    expect(lastEnd(stream)).toMatchObject({ reason: "revoked" });
  });

  it("expired: access_ended (expired) at the token's expires_at", async () => {
    const orgId = api.newTenant();
    const owner = await person(orgId, "owner");
    const project = await f.createProject(owner.token, "Scripted, briefly");
    const pat = await patOf(owner.token);
    // Tokens live at least a day through the API: bring this one's end near.
    const expiresAt = new Date(Date.now() + 4_000);
    await api.db
      .update(schema.personalAccessTokens)
      .set({ expiresAt })
      .where(eq(schema.personalAccessTokens.id, pat.id));
    const stream = await liveStream(project.id, pat.token, owner.token);
    const endedAt = await stream.waitForEnd(4_000 + slackMs);
    expect(endedAt).toBeGreaterThanOrEqual(expiresAt.getTime());
    expect(endedAt - expiresAt.getTime()).toBeLessThan(slackMs);
    expect(lastEnd(stream)).toMatchObject({ reason: "expired" });
  });

  it("its person banned at the SSO (the revocation feed): nothing written after the bound, access_ended (revoked)", async () => {
    // A second instance on the same database that reads the SSO's revocation feed, as the API does.
    const voided = new Map<string, number>();
    const withFeed = await startTestApi(
      { database: api.database, issuer: api.issuer },
      { isSubjectRevoked: (sub, issuedAt) => issuedAt < (voided.get(sub) ?? Number.NEGATIVE_INFINITY) },
    );
    try {
      const orgId = api.newTenant();
      const owner = await person(orgId, "owner");
      const bob = await person(orgId);
      const project = await f.createProject(owner.token, "Banned");
      await f.addMember(owner.token, project.id, bob.workerId, "member");
      const pat = await patOf(bob.token);
      const stream = await openEventStream(
        `${withFeed.baseUrl}/api/projects/${project.id}/events`,
        pat.token,
      );
      expect(stream.status).toBe(200);

      voided.set(bob.sub, Math.ceil(Date.now() / 1000) + 1);
      const cut = Date.now();
      await keepWriting(project.id, owner.token, stream, cut + eventAccessRecheckMs + slackMs);
      const endedAt = await stream.waitForEnd(1_000);
      expect(endedAt - cut).toBeLessThan(eventAccessRecheckMs + slackMs);
      expect(lastEnd(stream)).toMatchObject({ reason: "revoked" });
      expect(writtenAfter(stream, cut + eventAccessRecheckMs)).toEqual([]);
    } finally {
      await withFeed.close();
    }
  });
});
