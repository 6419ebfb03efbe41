// Registering an agent with the projects it joins (`joinProjects`), in one request: an agent can do nothing
// outside a project, and the dashboard's agent form offers them. Each project is joined as addMember decides
// (member.manage there, which the organization's owners and admins, the only ones who register agents, have in
// every project of theirs); one project refused, and nothing is registered.
import type { IssuedAgentKey, Member, Worker } from "@taskflow/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixtures } from "./support/fixtures.ts";
import { startTestApi, type TestApi } from "./support/test-api.ts";

let api: TestApi;
let fx: ReturnType<typeof fixtures>;
beforeAll(async () => {
  api = await startTestApi();
  fx = fixtures(api);
});
afterAll(() => api.close());

type Registered = { agent: Worker; apiKey: IssuedAgentKey; joinedProjects: string[] };
type ProblemBody = { status: number; errors?: { field: string; message: string }[] };

async function organization() {
  const orgId = api.newTenant();
  const owner = await api.signIn({ orgId, orgRole: "owner" });
  return { orgId, owner };
}

const registration = (handle: string, joinProjects: unknown) => ({
  handle,
  name: handle,
  agentType: "claude-code",
  joinProjects,
});

describe("registering an agent with the projects it joins", () => {
  it("makes it a member of each, audited, so its first key works there at once", async () => {
    const { orgId, owner } = await organization();
    const [apollo, zeus, other] = await Promise.all(
      ["Apollo", "Zeus", "Not chosen"].map((name) => fx.createProject(owner.token, name)),
    );
    const res = await api.call<Registered>("POST", "/api/agents", {
      token: owner.token,
      body: registration("@joiner", [apollo?.id, zeus?.id]),
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.joinedProjects).toEqual([apollo?.id, zeus?.id]);
    for (const project of [apollo, zeus]) {
      const members = await api.call<Member[]>("GET", `/api/projects/${project?.id}/members`, {
        token: owner.token,
      });
      expect(members.body.find((m) => m.worker.id === res.body.agent.id)?.role).toBe("member");
    }
    const others = await api.call<Member[]>("GET", `/api/projects/${other?.id}/members`, {
      token: owner.token,
    });
    expect(others.body.some((m) => m.worker.id === res.body.agent.id)).toBe(false);

    // The agent's own key sees the projects it joined, and only those.
    const seen = await api.call<{ id: string }[]>("GET", "/api/projects", { token: res.body.apiKey.key });
    expect(seen.status).toBe(200);
    expect(seen.body.map((p) => p.id).sort()).toEqual([apollo?.id, zeus?.id].sort());

    const added = (await fx.auditRows(orgId)).filter(
      (row) => row.action === "member.added" && row.entityId === res.body.agent.id,
    );
    expect(added.map((row) => row.projectId).sort()).toEqual([apollo?.id, zeus?.id].sort());
    expect(added.every((row) => row.actorId === owner.workerId)).toBe(true);
  });

  it("without joinProjects joins nothing, as before", async () => {
    const { owner } = await organization();
    await fx.createProject(owner.token, "Elsewhere");
    const { apiKey } = await fx.registerAgent(owner.token, "@loner");
    const seen = await api.call<unknown[]>("GET", "/api/projects", { token: apiKey.key });
    expect(seen.status).toBe(200);
    expect(seen.body).toEqual([]);
  });

  it("answers 422 naming the entry for another organization's project, and registers nothing", async () => {
    const { owner } = await organization();
    const mine = await fx.createProject(owner.token, "Mine");
    const elsewhere = await organization();
    const theirs = await fx.createProject(elsewhere.owner.token, "Theirs");
    const res = await api.call<ProblemBody>("POST", "/api/agents", {
      token: owner.token,
      body: registration("@trespasser", [mine.id, theirs.id]),
    });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([
      { field: "body.joinProjects.1", message: "no such project in this organization" },
    ]);
    // The same answer as for an id that names nothing: nothing is learned about the other organization.
    const unknown = await api.call<ProblemBody>("POST", "/api/agents", {
      token: owner.token,
      body: registration("@trespasser", [crypto.randomUUID()]),
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors?.[0]?.message).toBe("no such project in this organization");
    await expectNoAgent(owner.token, "@trespasser");
    const theirMembers = await api.call<Member[]>("GET", `/api/projects/${theirs.id}/members`, {
      token: elsewhere.owner.token,
    });
    expect(theirMembers.body.map((m) => m.worker.handle)).not.toContain("@trespasser");
  });

  it("refuses a malformed list naming the field: not ids, the same project twice, too many", async () => {
    const { owner } = await organization();
    const project = await fx.createProject(owner.token, "Once");
    for (const joinProjects of [
      ["not-an-id"],
      [project.id, project.id],
      "just-one",
      Array(51).fill(project.id),
    ]) {
      const res = await api.call<ProblemBody>("POST", "/api/agents", {
        token: owner.token,
        body: registration("@malformed", joinProjects),
      });
      expect(res.status, JSON.stringify(joinProjects)).toBe(400);
      expect(res.body.errors?.every((e) => e.field.startsWith("body.joinProjects"))).toBe(true);
    }
    await expectNoAgent(owner.token, "@malformed");
  });
});

async function expectNoAgent(token: string, handle: string): Promise<void> {
  const agents = await api.call<Worker[]>("GET", "/api/agents", { token });
  expect(agents.status).toBe(200);
  expect(agents.body.map((a) => a.handle)).not.toContain(handle);
}
