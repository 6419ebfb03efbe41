// Red-team finding 5: POST /api/tasks/claim-next {} with Alice's personal access token holding only
// taskflow:read answered 200: the task went to in_progress, assigned to Alice, audited task.claimed with
// channel pat, while POST /api/tasks/{id}/claim refused the same token 403. claimNextTask without a project
// never read the token-scope table. Every path that works across projects now decides each project as one
// project's route does (projectsAllowing → decideProjectAccess): claim-next, recent tasks, my tasks, workers
// and search, for personal access tokens and OAuth tokens alike.
import type { IssuedPersonalToken, Project, Task } from "@taskflow/contracts";
import { schema } from "@taskflow/core";
import { and, eq } from "drizzle-orm";
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

/** Alice, a member of `pa` with a pending task in it, and her personal access tokens as a script uses them. */
async function stage() {
  const orgId = api.newTenant();
  const owner = await api.signIn({ orgId, orgRole: "owner" });
  const alice = await api.signIn({ orgId, orgRole: "member" });
  const project: Project = await fx.createProject(owner.token, "pa");
  await fx.addMember(owner.token, project.id, alice.workerId, "member");
  const created = await api.call<Task>("POST", `/api/projects/${project.id}/tasks`, {
    token: owner.token,
    body: { title: "Up for grabs" },
  });
  expect(created.status).toBe(201);
  const pat = async (scopes: string[]) => {
    const res = await api.call<IssuedPersonalToken>("POST", "/api/personal-tokens", {
      token: alice.token,
      body: { name: scopes.join(" "), scopes },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  };
  const oauth = (scope: string) =>
    api.issuer.mint({ orgId, sub: alice.sub, orgRole: "member", extra: { scope } });
  return { orgId, alice, project, task: created.body, pat, oauth };
}

async function taskRow(id: string) {
  const [row] = await api.db.select().from(schema.tasks).where(eq(schema.tasks.id, id));
  return row;
}

describe("claim-next reads the token-scope table, as claiming one task does", () => {
  it("refuses a read-only personal access token 403 insufficient scope; the task stays pending, unassigned", async () => {
    const { project, task, pat } = await stage();
    const patRO = await pat(["taskflow:read"]);
    for (const body of [{}, { projectId: project.id }]) {
      const res = await api.call<{ insufficientScope?: unknown }>("POST", "/api/tasks/claim-next", {
        token: patRO.token,
        body,
      });
      expect(res.status, JSON.stringify(body)).toBe(403);
      expect(res.body.insufficientScope).toEqual({ requiredScope: "taskflow:write", action: "task.work" });
    }
    expect((await api.call("POST", `/api/tasks/${task.id}/claim`, { token: patRO.token })).status).toBe(403);
    const row = await taskRow(task.id);
    expect(row).toMatchObject({ status: "pending", assigneeId: null, claimedById: null });
    // Audited as the token's refusals are on every other path, and no claim was.
    const audit = await api.db
      .select({ action: schema.auditLog.action })
      .from(schema.auditLog)
      .where(and(eq(schema.auditLog.entityId, patRO.id)));
    expect(audit.map((a) => a.action)).toContain("personal_token.scope_denied");
    const claimed = await api.db
      .select({ id: schema.auditLog.id })
      .from(schema.auditLog)
      .where(and(eq(schema.auditLog.entityId, task.id), eq(schema.auditLog.action, "task.claimed")));
    expect(claimed).toEqual([]);
  });

  it("refuses a read-only OAuth token too, and serves one that may work", async () => {
    const { task, pat, oauth } = await stage();
    const refused = await api.call("POST", "/api/tasks/claim-next", {
      token: await oauth("openid taskflow:read"),
      body: {},
    });
    expect(refused.status).toBe(403);
    expect((await taskRow(task.id))?.status).toBe("pending");
    const worker = await pat(["taskflow:read", "taskflow:write"]);
    const claimed = await api.call<{ task: Task | null }>("POST", "/api/tasks/claim-next", {
      token: worker.token,
      body: {},
    });
    expect(claimed.status).toBe(200);
    expect(claimed.body.task?.id).toBe(task.id);
  });
});

describe("every other path across projects reads it too", () => {
  it("a write-only personal access token lists no recent tasks, my tasks, workers or search results", async () => {
    const { project, pat } = await stage();
    const writeOnly = await pat(["taskflow:write"]);
    const paths = [
      "/api/projects",
      "/api/tasks/recent",
      `/api/projects/${project.id}/tasks?assigneeId=me`,
      "/api/workers",
      "/api/members/search?q=a",
    ];
    for (const path of paths) {
      const res = await api.call<{ insufficientScope?: unknown }>("GET", path, { token: writeOnly.token });
      expect(res.status, path).toBe(403);
      expect(res.body.insufficientScope, path).toMatchObject({ requiredScope: "taskflow:read" });
    }
    const reader = await pat(["taskflow:read"]);
    for (const path of paths) {
      expect((await api.call("GET", path, { token: reader.token })).status, path).toBe(200);
    }
  });
});
