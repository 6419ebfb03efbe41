import type { IssuedPersonalToken, PersonalToken, Project, Task } from "@taskflow/contracts";
import { maxLivePersonalTokens, schema } from "@taskflow/core";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixtures } from "./support/fixtures.ts";
import { startTestApi, type TestApi } from "./support/test-api.ts";

/**
 * Personal access tokens end to end: a person signed in creates one through REST (as the dashboard's
 * account page does), a script calls the API with it as curl would (plain fetch, `Authorization:
 * Bearer tfp_…`), it is revoked, and the same call is refused. Around that: scopes as OAuth's, no
 * widening, no organization role, the audit trail, expiry, tampering, the per-person cap, validation.
 */

let api: TestApi;
let fx: ReturnType<typeof fixtures>;
beforeAll(async () => {
  api = await startTestApi();
  fx = fixtures(api);
});
afterAll(() => api.close());

/** A script's request: nothing but fetch and the token. */
async function script(token: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${api.baseUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
}

async function person(orgRole: "owner" | "admin" | "member" = "member") {
  const orgId = api.newTenant();
  const me = await api.signIn({ orgId, orgRole });
  const issue = async (scopes: string[], extra: Record<string, unknown> = {}) => {
    const res = await api.call<IssuedPersonalToken>("POST", "/api/personal-tokens", {
      token: me.token,
      body: { name: "Nightly report", scopes, ...extra },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  };
  return { orgId, me, issue };
}

describe("a personal access token, from creation to revocation", () => {
  it("is shown once, works for a script as its person (channel pat), and stops at revocation", async () => {
    const { orgId, me, issue } = await person();
    const project = await fx.createProject(me.token, "Scripted");
    const issued = await issue(["taskflow:read", "taskflow:write"], { expiresInDays: 7 });
    expect(issued.token).toMatch(/^tfp_[A-Za-z0-9_-]{12}_[A-Za-z0-9_-]{43}$/);
    expect(issued.lastChars).toBe(issued.token.slice(-4));
    expect(issued.scopes).toEqual(["taskflow:read", "taskflow:write"]);
    const lifetime = Date.parse(issued.expiresAt) - Date.parse(issued.createdAt);
    expect(lifetime).toBe(7 * 24 * 3600 * 1000);

    // Stored hashed: the row holds neither the token nor its secret.
    const [row] = await api.db
      .select()
      .from(schema.personalAccessTokens)
      .where(eq(schema.personalAccessTokens.id, issued.id));
    const secret = issued.token.split("_").slice(2).join("_");
    expect(JSON.stringify(row)).not.toContain(secret);
    // Listed without it.
    const listed = await api.call<PersonalToken[]>("GET", "/api/personal-tokens", { token: me.token });
    expect(listed.body.map((t) => t.id)).toEqual([issued.id]);
    expect(JSON.stringify(listed.body)).not.toContain(secret);
    expect(listed.body[0]).not.toHaveProperty("token");

    // The script, as its person.
    const projects = await script(issued.token, "GET", "/api/projects");
    expect(projects.status).toBe(200);
    expect((projects.body as Project[]).map((p) => p.id)).toContain(project.id);
    const created = await script(issued.token, "POST", `/api/projects/${project.id}/tasks`, {
      title: "From cron",
    });
    expect(created.status).toBe(201);
    const taskRow = (await fx.auditRows(orgId)).find(
      (r) => r.action === "task.created" && r.entityId === (created.body as Task).id,
    );
    expect(taskRow).toMatchObject({ actorId: me.workerId, actorType: "human", channel: "pat" });
    const used = await api.call<PersonalToken[]>("GET", "/api/personal-tokens", { token: me.token });
    expect(used.body[0]?.lastUsedAt).not.toBeNull();

    // Revoked: the same call is refused, like any unknown credential.
    expect((await api.call("DELETE", `/api/personal-tokens/${issued.id}`, { token: me.token })).status).toBe(
      204,
    );
    const refused = await script(issued.token, "GET", "/api/projects");
    expect(refused.status).toBe(401);
    expect(refused.headers.get("content-type")).toContain("application/problem+json");
    expect((await api.call("DELETE", `/api/personal-tokens/${issued.id}`, { token: me.token })).status).toBe(
      204,
    );
    const trail = (await fx.auditRows(orgId)).filter((r) => r.entityType === "personal_token");
    expect(trail.map((r) => [r.action, r.actorId, r.channel, r.projectId])).toEqual([
      ["personal_token.created", me.workerId, "api", null],
      ["personal_token.revoked", me.workerId, "api", null],
    ]);
    expect(JSON.stringify(trail)).not.toContain(secret);
  });

  it("is refused once expired, or with a secret that is not its own", async () => {
    const { me, issue } = await person();
    const issued = await issue(["taskflow:read"]);
    const [lookup, secret] = issued.token.slice("tfp_".length).split(/_(.*)/s);
    const forged = `tfp_${lookup}_${(secret?.[0] === "A" ? "B" : "A") + (secret ?? "").slice(1)}`;
    expect((await script(forged, "GET", "/api/projects")).status).toBe(401);
    // An agent key's prefix on a token's body is not a token either.
    expect((await script(issued.token.replace(/^tfp_/, "tf_"), "GET", "/api/projects")).status).toBe(401);
    expect((await script(issued.token, "GET", "/api/projects")).status).toBe(200);
    await api.db
      .update(schema.personalAccessTokens)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(schema.personalAccessTokens.id, issued.id));
    expect((await script(issued.token, "GET", "/api/projects")).status).toBe(401);
    expect((await api.call("GET", "/api/projects", { token: me.token })).status).toBe(200);
  });
});

describe("what a personal access token may do", () => {
  it("has exactly its scopes, from the same table as OAuth tokens", async () => {
    const { me, issue } = await person();
    const project = await fx.createProject(me.token, "Scoped");
    const reader = await issue(["taskflow:read"]);
    const writer = await issue(["taskflow:read", "taskflow:write"]);
    expect((await script(reader.token, "GET", `/api/projects/${project.id}`)).status).toBe(200);
    const write = await script(reader.token, "POST", `/api/projects/${project.id}/tasks`, { title: "No" });
    expect(write.status).toBe(403);
    expect(write.body).toMatchObject({ insufficientScope: { requiredScope: "taskflow:write" } });
    expect(write.body.detail).toMatch(/personal access token lacks the taskflow:write scope/);
    const remove = await script(writer.token, "DELETE", `/api/projects/${project.id}`);
    expect(remove.status).toBe(403);
    expect(remove.body).toMatchObject({ insufficientScope: { requiredScope: "taskflow:manage" } });
    expect((await api.call("GET", `/api/projects/${project.id}`, { token: me.token })).status).toBe(200);
  });

  it("cannot make, list or revoke tokens, even with taskflow:manage: it cannot widen itself", async () => {
    const { issue } = await person();
    const manager = await issue(["taskflow:read", "taskflow:write", "taskflow:manage"]);
    const again = await script(manager.token, "POST", "/api/personal-tokens", {
      name: "Longer",
      scopes: ["taskflow:read"],
      expiresInDays: 365,
    });
    expect(again.status).toBe(403);
    expect(again.body.detail).toMatch(/never with such a token/);
    expect((await script(manager.token, "GET", "/api/personal-tokens")).status).toBe(403);
    expect((await script(manager.token, "DELETE", `/api/personal-tokens/${manager.id}`)).status).toBe(403);
  });

  it("holds at most the scopes of the sign-in that makes it", async () => {
    const orgId = api.newTenant();
    const me = await api.signIn({ orgId });
    const narrow = await api.issuer.mint({
      orgId,
      sub: me.sub,
      extra: { scope: "openid taskflow:read taskflow:manage" },
    });
    const wider = await api.call("POST", "/api/personal-tokens", {
      token: narrow,
      body: { name: "Wider", scopes: ["taskflow:read", "taskflow:write"] },
    });
    expect(wider.status).toBe(422);
    expect(wider.body).toMatchObject({ errors: [{ field: "body.scopes" }] });
    const noManage = await api.issuer.mint({
      orgId,
      sub: me.sub,
      extra: { scope: "openid taskflow:read taskflow:write" },
    });
    const unmanaged = await api.call("POST", "/api/personal-tokens", {
      token: noManage,
      body: { name: "Any", scopes: ["taskflow:read"] },
    });
    expect(unmanaged.status).toBe(403);
    expect(unmanaged.body).toMatchObject({ insufficientScope: { requiredScope: "taskflow:manage" } });
    const rows = await api.db
      .select()
      .from(schema.personalAccessTokens)
      .where(eq(schema.personalAccessTokens.workerId, me.workerId));
    expect(rows).toEqual([]);
  });

  it("carries no organization role: an owner's token sees their projects, not the organization's, and no agents", async () => {
    const { orgId, me, issue } = await person("owner");
    const colleague = await api.signIn({ orgId, orgRole: "member" });
    const theirs = await fx.createProject(colleague.token, "Theirs");
    const mine = await fx.createProject(me.token, "Mine");
    const token = (await issue(["taskflow:read", "taskflow:write", "taskflow:manage"])).token;
    expect((await api.call("GET", `/api/projects/${theirs.id}`, { token: me.token })).status).toBe(200);
    expect((await script(token, "GET", `/api/projects/${theirs.id}`)).status).toBe(404);
    expect((await script(token, "GET", `/api/projects/${mine.id}`)).status).toBe(200);
    expect((await script(token, "DELETE", `/api/projects/${mine.id}`)).status).toBe(204);
    expect((await script(token, "GET", "/api/agents")).status).toBe(403);
    const agent = await script(token, "POST", "/api/agents", {
      handle: "@minted",
      name: "Minted",
      agentType: "bot",
    });
    expect(agent.status).toBe(403);
  });

  it("is one's own: another person's token is not found, and not listed", async () => {
    const { orgId, issue } = await person();
    const mine = await issue(["taskflow:read"]);
    const other = await api.signIn({ orgId, orgRole: "owner" });
    expect((await api.call("DELETE", `/api/personal-tokens/${mine.id}`, { token: other.token })).status).toBe(
      404,
    );
    expect(
      (await api.call<PersonalToken[]>("GET", "/api/personal-tokens", { token: other.token })).body,
    ).toEqual([]);
    expect((await script(mine.token, "GET", "/api/projects")).status).toBe(200);
  });
});

describe("personal access token requests", () => {
  it("are validated field by field, and capped per person", async () => {
    const { me, issue } = await person();
    for (const [body, field] of [
      [{ name: "x", scopes: [] }, "body.scopes"],
      [{ name: "x", scopes: ["taskflow:admin"] }, "body.scopes.0"],
      [{ name: " ", scopes: ["taskflow:read"] }, "body.name"],
      [{ name: "x", scopes: ["taskflow:read"], expiresInDays: 0 }, "body.expiresInDays"],
      [{ name: "x", scopes: ["taskflow:read"], expiresInDays: 366 }, "body.expiresInDays"],
    ] as const) {
      const res = await api.call<{ errors: { field: string }[] }>("POST", "/api/personal-tokens", {
        token: me.token,
        body,
      });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.errors.map((e) => e.field)).toContain(field);
    }
    for (let n = 0; n < maxLivePersonalTokens; n++) await issue(["taskflow:read"]);
    const over = await api.call("POST", "/api/personal-tokens", {
      token: me.token,
      body: { name: "One more", scopes: ["taskflow:read"] },
    });
    expect(over.status).toBe(409);
  });
});
