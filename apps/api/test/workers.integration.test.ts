import { randomUUID } from "node:crypto";
import type { Project, Worker } from "@taskflow/contracts";
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

type ProblemBody = { errors?: { field: string }[] };

/** An organization with two people, two agents (one deleted) and a project with one of each. */
async function organization() {
  const orgId = api.newTenant();
  const ada = await api.signIn({ orgId, orgRole: "owner", email: "ada.lovelace@example.test", name: "Ada" });
  const bob = await api.signIn({ orgId, orgRole: "member", email: "bob@builders.test", name: "Bob Stone" });
  const { agent: coder } = await fx.registerAgent(ada.token, "@claude-code", { name: "Claude Code" });
  const { agent: gone } = await fx.registerAgent(ada.token, "@old-bot", { name: "Old Bot" });
  await api.call("DELETE", `/api/agents/${gone.id}`, { token: ada.token });
  const project = await fx.createProject(ada.token, "Search");
  await fx.addMember(ada.token, project.id, coder.id);
  return { orgId, ada, bob, coder, gone, project };
}

describe("GET /api/workers", () => {
  it("lists the organization's people and agents by handle, deleted agents left out", async () => {
    const { ada, bob, coder } = await organization();
    const all = await api.call<Worker[]>("GET", "/api/workers", { token: bob.token });
    expect(all.status).toBe(200);
    expect(all.body.map((w) => w.id).sort()).toEqual([ada.workerId, bob.workerId, coder.id].sort());
    const handles = all.body.map((w) => w.handle);
    expect(handles).toEqual([...handles].sort());

    const humans = await api.call<Worker[]>("GET", "/api/workers?type=human", { token: bob.token });
    expect(humans.body.every((w) => w.kind === "human")).toBe(true);
    expect(humans.body).toHaveLength(2);
    const agents = await api.call<Worker[]>("GET", "/api/workers?type=agent", { token: bob.token });
    expect(agents.body.map((w) => w.id)).toEqual([coder.id]);
  });

  it("refuses an unknown type or parameter", async () => {
    const { bob } = await organization();
    const bad = await api.call<ProblemBody>("GET", "/api/workers?type=robot", { token: bob.token });
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.[0]?.field).toBe("query.type");
    expect((await api.call("GET", "/api/workers?colour=red", { token: bob.token })).status).toBe(400);
  });
});

describe("GET /api/members/search", () => {
  it("finds workers by part of the handle, name or email, handle prefixes first", async () => {
    const { bob, coder, ada } = await organization();
    const byHandle = await api.call<Worker[]>("GET", "/api/members/search?q=claude", { token: bob.token });
    expect(byHandle.status).toBe(200);
    expect(byHandle.body.map((w) => w.id)).toEqual([coder.id]);
    const withAt = await api.call<Worker[]>("GET", "/api/members/search?q=%40clau", { token: bob.token });
    expect(withAt.body.map((w) => w.id)).toEqual([coder.id]);
    const byName = await api.call<Worker[]>("GET", "/api/members/search?q=STONE", { token: bob.token });
    expect(byName.body.map((w) => w.id)).toEqual([bob.workerId]);
    const byEmail = await api.call<Worker[]>("GET", "/api/members/search?q=builders", { token: bob.token });
    expect(byEmail.body.map((w) => w.id)).toEqual([bob.workerId]);
    const deleted = await api.call<Worker[]>("GET", "/api/members/search?q=old", { token: bob.token });
    expect(deleted.body).toEqual([]);
    // `%` and `_` are plain characters, not wildcards.
    const wildcard = await api.call<Worker[]>("GET", "/api/members/search?q=%25", { token: bob.token });
    expect(wildcard.body).toEqual([]);
    // "a" is in every handle here; the one starting with it comes first.
    const prefix = await api.call<Worker[]>("GET", "/api/members/search?q=a&limit=5", { token: bob.token });
    expect(prefix.body[0]?.id).toBe(ada.workerId);
    const limited = await api.call<Worker[]>("GET", "/api/members/search?q=e&limit=1", { token: bob.token });
    expect(limited.body).toHaveLength(1);
  });

  it("restricts to a project's members when asked, for those who can read the project", async () => {
    const { ada, bob, coder, project } = await organization();
    const inProject = await api.call<Worker[]>("GET", `/api/members/search?q=e&projectId=${project.id}`, {
      token: ada.token,
    });
    expect(inProject.status).toBe(200);
    expect(inProject.body.map((w) => w.id).sort()).toEqual([ada.workerId, coder.id].sort());
    const outsider = await api.call("GET", `/api/members/search?q=e&projectId=${project.id}`, {
      token: bob.token,
    });
    expect(outsider.status).toBe(404);
  });

  it("validates the query", async () => {
    const { bob } = await organization();
    for (const [query, field] of [
      ["", "query.q"],
      ["q=", "query.q"],
      ["q=a&limit=0", "query.limit"],
      ["q=a&limit=51", "query.limit"],
      ["q=a&projectId=nope", "query.projectId"],
    ] as const) {
      const res = await api.call<ProblemBody>("GET", `/api/members/search?${query}`, { token: bob.token });
      expect(res.status, query).toBe(400);
      expect(
        res.body.errors?.map((e) => e.field),
        query,
      ).toContain(field);
    }
  });
});

describe("a person's first request", () => {
  it("creates each of many people arriving at once, each with their own default project", async () => {
    const orgId = api.newTenant();
    // Same name for all: their handles and default projects' slugs race for the same first choice.
    const tokens = await Promise.all(
      Array.from({ length: 12 }, () =>
        api.issuer.mint({ orgId, orgRole: "member", sub: randomUUID(), name: "Sam", email: "sam@x.test" }),
      ),
    );
    const first = await Promise.all(
      tokens.map((token) => api.call<Worker>("GET", "/api/workers/me", { token })),
    );
    expect(first.filter((answer) => answer.status !== 200).map((answer) => answer.body)).toEqual([]);
    const people = first.map((answer, i) => ({
      token: tokens[i] as string,
      workerId: answer.body.id,
      handle: answer.body.handle,
    }));
    expect(new Set(people.map((p) => p.handle)).size).toBe(12);
    const slugs = await Promise.all(
      people.map(async (person) => {
        const projects = await api.call<Project[]>("GET", "/api/projects", { token: person.token });
        expect(projects.status).toBe(200);
        const defaults = projects.body.filter((p) => p.isDefault && p.ownerId === person.workerId);
        expect(defaults).toHaveLength(1);
        return defaults[0]?.slug;
      }),
    );
    expect(new Set(slugs).size).toBe(12);
    expect(slugs).toContain("my-tasks");
  });
});
