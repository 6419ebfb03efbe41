import type { Member, Project } from "@taskflow/contracts";
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

describe("projects", () => {
  it("gives a new person a default project they own", async () => {
    const ada = await api.signIn({ orgId: api.newTenant() });
    const list = await api.call<Project[]>("GET", "/api/projects", { token: ada.token });
    expect(list.status).toBe(200);
    expect(list.body).toHaveLength(1);
    expect(list.body[0]).toMatchObject({
      isDefault: true,
      role: "owner",
      ownerId: ada.workerId,
      slug: "my-tasks",
    });
  });

  it("creates, reads, renames and deletes a project", async () => {
    const ada = await api.signIn({ orgId: api.newTenant() });
    const created = await api.call<Project>("POST", "/api/projects", {
      token: ada.token,
      body: { name: "Launch Plan", description: "Ship it" },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: "Launch Plan",
      slug: "launch-plan",
      role: "owner",
      isDefault: false,
    });

    const got = await api.call<Project>("GET", `/api/projects/${created.body.id}`, { token: ada.token });
    expect(got.body.description).toBe("Ship it");

    const renamed = await api.call<Project>("PATCH", `/api/projects/${created.body.id}`, {
      token: ada.token,
      body: { name: "Launch", slug: "launch" },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: "Launch", slug: "launch" });

    const deleted = await api.call("DELETE", `/api/projects/${created.body.id}`, { token: ada.token });
    expect(deleted.status).toBe(204);
    const gone = await api.call("GET", `/api/projects/${created.body.id}`, { token: ada.token });
    expect(gone.status).toBe(404);
  });

  it("derives a free slug and refuses a chosen slug that is taken", async () => {
    const ada = await api.signIn({ orgId: api.newTenant() });
    const first = await api.call<Project>("POST", "/api/projects", {
      token: ada.token,
      body: { name: "Ops" },
    });
    const second = await api.call<Project>("POST", "/api/projects", {
      token: ada.token,
      body: { name: "Ops" },
    });
    expect([first.body.slug, second.body.slug]).toEqual(["ops", "ops-2"]);
    const clash = await api.call<{ errors: { field: string }[] }>("POST", "/api/projects", {
      token: ada.token,
      body: { name: "Other", slug: "ops" },
    });
    expect(clash.status).toBe(409);
    expect(clash.headers.get("content-type")).toBe("application/problem+json");
    expect(clash.body.errors[0]?.field).toBe("body.slug");
  });

  it("allows the same slug in two organizations", async () => {
    const ada = await api.signIn({ orgId: api.newTenant() });
    const bob = await api.signIn({ orgId: api.newTenant() });
    const a = await api.call("POST", "/api/projects", {
      token: ada.token,
      body: { name: "Shared", slug: "shared" },
    });
    const b = await api.call("POST", "/api/projects", {
      token: bob.token,
      body: { name: "Shared", slug: "shared" },
    });
    expect([a.status, b.status]).toEqual([201, 201]);
  });

  it("answers bad input with a problem naming the field, and writes nothing", async () => {
    const ada = await api.signIn({ orgId: api.newTenant() });
    const cases: [unknown, string][] = [
      [{ name: "" }, "body.name"],
      [{ name: "x", slug: "Not A Slug" }, "body.slug"],
      [{ name: "x", colour: "red" }, "body"],
      [{ name: 42 }, "body.name"],
    ];
    for (const [body, field] of cases) {
      const res = await api.call<{ status: number; errors: { field: string }[] }>("POST", "/api/projects", {
        token: ada.token,
        body,
      });
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e) => e.field)).toContain(field);
    }
    const malformed = await api.call("POST", "/api/projects", { token: ada.token, rawBody: "{not json" });
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get("content-type")).toBe("application/problem+json");
    const list = await api.call<Project[]>("GET", "/api/projects", { token: ada.token });
    expect(list.body).toHaveLength(1);
  });

  it("refuses an invalid id in the path with 400, an unknown one with 404", async () => {
    const ada = await api.signIn({ orgId: api.newTenant() });
    const bad = await api.call<{ errors: { field: string }[] }>("GET", "/api/projects/not-a-uuid", {
      token: ada.token,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0]?.field).toBe("path.id");
    const unknown = await api.call("GET", "/api/projects/00000000-0000-4000-8000-000000000000", {
      token: ada.token,
    });
    expect(unknown.status).toBe(404);
  });

  it("lets an organization admin see every project of the tenant, and a member only theirs", async () => {
    const tenant = api.newTenant();
    const owner = await api.signIn({ orgId: tenant, orgRole: "owner" });
    const member = await api.signIn({ orgId: tenant, orgRole: "member" });
    await api.call("POST", "/api/projects", { token: owner.token, body: { name: "Secret plans" } });
    const admin = await api.signIn({ orgId: tenant, orgRole: "admin" });
    const adminSees = await api.call<Project[]>("GET", "/api/projects", { token: admin.token });
    expect(adminSees.body.map((p) => p.name)).toContain("Secret plans");
    const memberSees = await api.call<Project[]>("GET", "/api/projects", { token: member.token });
    expect(memberSees.body.map((p) => p.name)).not.toContain("Secret plans");
  });

  it("hands a project to another member with PATCH ownerId, audited", async () => {
    const tenant = api.newTenant();
    const ada = await api.signIn({ orgId: tenant });
    const bob = await api.signIn({ orgId: tenant });
    const project = await fx.createProject(ada.token, "Handover");
    await fx.addMember(ada.token, project.id, bob.workerId, "member");
    const handed = await api.call<Project>("PATCH", `/api/projects/${project.id}`, {
      token: ada.token,
      body: { ownerId: bob.workerId },
    });
    expect(handed.status).toBe(200);
    expect(handed.body.ownerId).toBe(bob.workerId);
    const members = await api.call<Member[]>("GET", `/api/projects/${project.id}/members`, {
      token: bob.token,
    });
    const roleOf = (workerId: string) => members.body.find((m) => m.worker.id === workerId)?.role;
    expect(roleOf(bob.workerId)).toBe("owner");
    // The previous owner stays an owner until someone changes that.
    expect(roleOf(ada.workerId)).toBe("owner");
    const audit = (await fx.auditRows(tenant)).filter(
      (r) => r.action === "project.updated" && r.entityId === project.id,
    );
    expect(audit.at(-1)).toMatchObject({
      actorId: ada.workerId,
      before: { ownerId: ada.workerId },
      after: { ownerId: bob.workerId },
    });
  });

  it("refuses to hand a project to someone who is not a member with 422 naming body.ownerId", async () => {
    const tenant = api.newTenant();
    const ada = await api.signIn({ orgId: tenant });
    const outsider = await api.signIn({ orgId: tenant });
    const project = await fx.createProject(ada.token, "Kept");
    const refused = await api.call<{ errors: { field: string }[] }>("PATCH", `/api/projects/${project.id}`, {
      token: ada.token,
      body: { ownerId: outsider.workerId },
    });
    expect(refused.status).toBe(422);
    expect(refused.headers.get("content-type")).toBe("application/problem+json");
    expect(refused.body.errors.map((e) => e.field)).toEqual(["body.ownerId"]);
    const after = await api.call<Project>("GET", `/api/projects/${project.id}`, { token: ada.token });
    expect(after.body.ownerId).toBe(ada.workerId);
  });
});
