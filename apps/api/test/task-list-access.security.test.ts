import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixtures } from "./support/fixtures.ts";
import { startTestApi, type TestApi } from "./support/test-api.ts";

/**
 * A page of tasks reads the caller's access in the same statement as the tasks (core's list-tasks.ts),
 * so the statement returns rows before anything is decided. Nobody who may not read the project gets one
 * of them, nor learns whether it has any: another tenant, a colleague without membership, a member just
 * removed, an agent key scoped elsewhere; each answers as a missing project does, with tasks or without.
 */

let api: TestApi;
let fx: ReturnType<typeof fixtures>;
beforeAll(async () => {
  api = await startTestApi();
  fx = fixtures(api);
});
afterAll(() => api.close());

const list = (projectId: string, token: string, query = "") =>
  api.call<{ items: { title: string }[] }>("GET", `/api/projects/${projectId}/tasks${query}`, { token });

async function teamWithTasks() {
  const orgId = api.newTenant();
  const owner = await api.signIn({ orgId, orgRole: "owner" });
  const member = await api.signIn({ orgId, orgRole: "member" });
  const full = await fx.createProject(owner.token, "Full");
  const empty = await fx.createProject(owner.token, "Empty");
  for (const title of ["Secret one", "Secret two"])
    await fx.insertTask(orgId, full.id, owner.workerId, { title });
  return { orgId, owner, member, full, empty };
}

describe("listing a project's tasks, refused", () => {
  it("to another tenant's owner, with tasks or without, exactly as a project that does not exist", async () => {
    const a = await teamWithTasks();
    const stranger = await api.signIn({ orgId: api.newTenant(), orgRole: "owner" });
    const missing = await list("00000000-0000-4000-8000-000000000000", stranger.token);
    for (const projectId of [a.full.id, a.empty.id]) {
      const refused = await list(projectId, stranger.token);
      expect(refused.status).toBe(404);
      // The same problem but for the path it names.
      expect({ ...refused.body, instance: null }).toEqual({ ...missing.body, instance: null });
      expect(JSON.stringify(refused.body)).not.toContain("Secret");
    }
    // Bad filters do not tell either: 404 before the cursor is looked at.
    expect((await list(a.full.id, stranger.token, "?cursor=forged")).status).toBe(404);
    expect((await list(a.full.id, a.owner.token, "?cursor=forged")).status).toBe(422);
  });

  it("to a colleague without membership, then granted, then refused again at once when removed", async () => {
    const a = await teamWithTasks();
    expect((await list(a.full.id, a.member.token)).status).toBe(404);
    expect((await list(a.empty.id, a.member.token)).status).toBe(404);

    await fx.addMember(a.owner.token, a.full.id, a.member.workerId, "viewer");
    const granted = await list(a.full.id, a.member.token);
    expect(granted.status).toBe(200);
    expect(granted.body.items.map((t) => t.title).sort()).toEqual(["Secret one", "Secret two"]);

    const removed = await api.call("DELETE", `/api/projects/${a.full.id}/members/${a.member.workerId}`, {
      token: a.owner.token,
    });
    expect(removed.status).toBe(204);
    const after = await list(a.full.id, a.member.token);
    expect(after.status).toBe(404);
    expect(JSON.stringify(after.body)).not.toContain("Secret");
  });

  it("to an agent key scoped to another project, and to one revoked, at once", async () => {
    const a = await teamWithTasks();
    const elsewhere = await fx.registerAgent(a.owner.token, "elsewhere-bot", {
      scopes: { projectIds: [a.empty.id] },
    });
    await fx.addMember(a.owner.token, a.full.id, elsewhere.agent.id, "member");
    const scopedOut = await list(a.full.id, elsewhere.apiKey.key);
    expect([403, 404]).toContain(scopedOut.status);
    expect(JSON.stringify(scopedOut.body)).not.toContain("Secret");

    const reader = await fx.registerAgent(a.owner.token, "reader-bot");
    await fx.addMember(a.owner.token, a.full.id, reader.agent.id, "member");
    expect((await list(a.full.id, reader.apiKey.key)).status).toBe(200);
    const revoked = await api.call("DELETE", `/api/agents/${reader.agent.id}/keys/${reader.apiKey.id}`, {
      token: a.owner.token,
    });
    expect(revoked.status).toBe(204);
    expect((await list(a.full.id, reader.apiKey.key)).status).toBe(401);
  });
});
