import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Project } from "@taskflow/contracts";
import { actionScopes, type ScopedAction, schema, taskflowScopes } from "@taskflow/core";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixtures } from "./support/fixtures.ts";
import { startTestApi, type TestApi } from "./support/test-api.ts";

/**
 * The token-scope table (`actionScopes`, packages/core/src/authorization/token-scopes.ts) through the
 * API: for every action in it and every scope a token can hold, one representative route answers 2xx
 * exactly when the token has the action's scope and 403 `insufficient_scope` when not. The caller owns
 * the organization and the project, so only the token's scope decides. The cases are typed against the
 * table: an action added there without a case here does not compile.
 */

let api: TestApi;
let fx: ReturnType<typeof fixtures>;
beforeAll(async () => {
  api = await startTestApi();
  fx = fixtures(api);
});
afterAll(() => api.close());

interface Stage {
  orgId: string;
  projectId: string;
  callerWorkerId: string;
  /** A plain member, for role changes and someone else's task. */
  otherWorkerId: string;
}

type Call = { status: number; headers: Headers; body: unknown };
interface Case {
  route: string;
  run(stage: Stage, token: string): Promise<Call>;
}

const task = async (s: Stage, creatorId: string, values: { status?: "review" } = {}) =>
  (await fx.insertTask(s.orgId, s.projectId, creatorId, values)).id;

const cases: Record<ScopedAction, Case> = {
  "project.read": {
    route: "GET /api/projects/{id}",
    run: (s, token) => api.call("GET", `/api/projects/${s.projectId}`, { token }),
  },
  "audit.read": {
    route: "GET /api/projects/{id}/audit",
    run: (s, token) => api.call("GET", `/api/projects/${s.projectId}/audit`, { token }),
  },
  "task.create": {
    route: "POST /api/projects/{id}/tasks",
    run: (s, token) =>
      api.call("POST", `/api/projects/${s.projectId}/tasks`, { token, body: { title: "New" } }),
  },
  "task.work": {
    route: "PATCH /api/tasks/{id}/progress",
    run: async (s, token) =>
      api.call("PATCH", `/api/tasks/${await task(s, s.callerWorkerId)}/progress`, {
        token,
        body: { progress: 40 },
      }),
  },
  "task.comment": {
    route: "POST /api/tasks/{id}/comments",
    run: async (s, token) =>
      api.call("POST", `/api/tasks/${await task(s, s.callerWorkerId)}/comments`, {
        token,
        body: { body: "A note" },
      }),
  },
  "task.delete_own": {
    route: "DELETE /api/tasks/{id} (own)",
    run: async (s, token) => api.call("DELETE", `/api/tasks/${await task(s, s.callerWorkerId)}`, { token }),
  },
  "task.delete_any": {
    route: "DELETE /api/tasks/{id} (someone else's)",
    run: async (s, token) => api.call("DELETE", `/api/tasks/${await task(s, s.otherWorkerId)}`, { token }),
  },
  "task.review": {
    route: "POST /api/tasks/{id}/approve",
    run: async (s, token) =>
      api.call("POST", `/api/tasks/${await task(s, s.otherWorkerId, { status: "review" })}/approve`, {
        token,
        body: {},
      }),
  },
  "member.leave": {
    route: "DELETE /api/projects/{id}/members/{own id}",
    run: (s, token) =>
      api.call("DELETE", `/api/projects/${s.projectId}/members/${s.callerWorkerId}`, { token }),
  },
  "project.update": {
    route: "PATCH /api/projects/{id}",
    run: (s, token) =>
      api.call("PATCH", `/api/projects/${s.projectId}`, { token, body: { description: "New" } }),
  },
  "member.manage": {
    route: "PATCH /api/projects/{id}/members/{id} (→ viewer)",
    run: (s, token) =>
      api.call("PATCH", `/api/projects/${s.projectId}/members/${s.otherWorkerId}`, {
        token,
        body: { role: "viewer" },
      }),
  },
  "project.delete": {
    route: "DELETE /api/projects/{id}",
    run: (s, token) => api.call("DELETE", `/api/projects/${s.projectId}`, { token }),
  },
  "member.manage_owners": {
    route: "PATCH /api/projects/{id}/members/{id} (→ owner)",
    run: (s, token) =>
      api.call("PATCH", `/api/projects/${s.projectId}/members/${s.otherWorkerId}`, {
        token,
        body: { role: "owner" },
      }),
  },
  "project.create": {
    route: "POST /api/projects",
    run: (_s, token) => api.call("POST", "/api/projects", { token, body: { name: "Another" } }),
  },
  "worker.read": {
    route: "GET /api/workers",
    run: (_s, token) => api.call("GET", "/api/workers", { token }),
  },
  "agent.read": {
    route: "GET /api/agents",
    run: (_s, token) => api.call("GET", "/api/agents", { token }),
  },
  "personal_token.read": {
    route: "GET /api/personal-tokens",
    run: (_s, token) => api.call("GET", "/api/personal-tokens", { token }),
  },
  "personal_token.manage": {
    route: "POST /api/personal-tokens",
    run: (_s, token) =>
      api.call("POST", "/api/personal-tokens", {
        token,
        body: { name: "Script", scopes: ["taskflow:manage"] },
      }),
  },
  "notification.read": {
    route: "GET /api/notifications",
    run: (_s, token) => api.call("GET", "/api/notifications", { token }),
  },
  "notification.manage": {
    route: "POST /api/notifications/read-all",
    run: (_s, token) => api.call("POST", "/api/notifications/read-all", { token, body: {} }),
  },
  "preferences.read": {
    route: "GET /api/workers/me/preferences",
    run: (_s, token) => api.call("GET", "/api/workers/me/preferences", { token }),
  },
  "preferences.manage": {
    route: "PATCH /api/workers/me/preferences",
    run: (_s, token) =>
      api.call("PATCH", "/api/workers/me/preferences", { token, body: { timeZone: "Asia/Tokyo" } }),
  },
  "agent.manage": {
    route: "POST /api/agents (with a manage key)",
    run: (_s, token) =>
      api.call("POST", "/api/agents", {
        token,
        body: { handle: "@scoped", name: "Scoped", agentType: "bot", scopes: { actions: ["manage"] } },
      }),
  },
};

/** The organization's owner, who created the project (so owns it), with a co-owner and a member. */
async function stage() {
  const orgId = api.newTenant();
  const caller = await api.signIn({ orgId, orgRole: "owner" });
  const coOwner = await api.signIn({ orgId, orgRole: "member" });
  const other = await api.signIn({ orgId, orgRole: "member" });
  const project = await fx.createProject(caller.token, "Scoped");
  await fx.addMember(caller.token, project.id, coOwner.workerId, "owner");
  await fx.addMember(caller.token, project.id, other.workerId, "member");
  const s: Stage = {
    orgId,
    projectId: project.id,
    callerWorkerId: caller.workerId,
    otherWorkerId: other.workerId,
  };
  const tokenWith = (scope: string) =>
    api.issuer.mint({ orgId, orgRole: "owner", sub: caller.sub, extra: { scope } });
  return { stage: s, tokenWith };
}

/** Tokens as clients get them: OpenID only, each TaskFlow scope alone, and all of them (the dashboard). */
const grants = [
  [],
  ...taskflowScopes.map((scope) => [scope]),
  [...taskflowScopes],
] as const satisfies readonly (readonly string[])[];

const matrix = (Object.keys(actionScopes) as ScopedAction[]).flatMap((action) =>
  grants.map((granted) => ({
    action,
    scope: ["openid", ...granted].join(" "),
    allowed: (granted as readonly string[]).includes(actionScopes[action]),
  })),
);

describe("the token-scope table, through the API", () => {
  it.each(matrix)("$action with `$scope`: allowed=$allowed", async ({ action, scope, allowed }) => {
    const { stage: s, tokenWith } = await stage();
    const res = await cases[action].run(s, await tokenWith(scope));
    const label = `${cases[action].route} with ${scope}: ${res.status} ${JSON.stringify(res.body)}`;
    if (allowed) {
      expect(res.status, label).toBeGreaterThanOrEqual(200);
      expect(res.status, label).toBeLessThan(300);
      return;
    }
    expect(res.status, label).toBe(403);
    // The refusal names the action that was decided first (changing an owner's role is decided as
    // member.manage, then member.manage_owners): always one needing this scope.
    expect(res.body, label).toMatchObject({
      code: "forbidden",
      insufficientScope: { requiredScope: actionScopes[action] },
    });
    expect(res.headers.get("www-authenticate")).toBe(
      `Bearer realm="taskflow", error="insufficient_scope", scope="${actionScopes[action]}"`,
    );
  });
});

describe("a token with only openid (the reported break-in)", () => {
  it("creates no project, registers no agent, deletes no project, and writes nothing", async () => {
    const { stage: s, tokenWith } = await stage();
    const token = await tokenWith("openid");
    const created = await api.call("POST", "/api/projects", { token, body: { name: "Sneaky" } });
    const registered = await api.call("POST", "/api/agents", {
      token,
      body: { handle: "@sneaky", name: "Sneaky", agentType: "bot", scopes: { actions: ["manage"] } },
    });
    const deleted = await api.call("DELETE", `/api/projects/${s.projectId}`, { token });
    expect([created.status, registered.status, deleted.status]).toEqual([403, 403, 403]);
    const projects = await api.db
      .select({ name: schema.projects.name })
      .from(schema.projects)
      .where(eq(schema.projects.tenantId, s.orgId));
    expect(projects.map((p) => p.name).sort()).toEqual(["My tasks", "My tasks", "My tasks", "Scoped"]);
    const agents = await api.db
      .select({ id: schema.workers.id })
      .from(schema.workers)
      .where(eq(schema.workers.handle, "@sneaky"));
    expect(agents).toEqual([]);
  });

  it("lists nothing either: projects, recent tasks and workers need taskflow:read", async () => {
    const { tokenWith } = await stage();
    const token = await tokenWith("openid taskflow:write");
    for (const path of ["/api/projects", "/api/tasks/recent", "/api/workers", "/api/members/search?q=a"]) {
      const res = await api.call("GET", path, { token });
      expect(res.status, path).toBe(403);
    }
    const reader = await tokenWith("openid taskflow:read");
    const listed = await api.call<Project[]>("GET", "/api/projects", { token: reader });
    expect(listed.status).toBe(200);
    expect(listed.body.map((p) => p.name)).toContain("Scoped");
  });

  it("does not learn whether a project exists: the refusal comes before any lookup", async () => {
    const { tokenWith } = await stage();
    const token = await tokenWith("openid taskflow:read");
    const foreign = await api.call("DELETE", `/api/projects/${randomUUID()}`, { token });
    expect(foreign.status).toBe(403);
  });
});

describe("apps/api/README.md", () => {
  it("shows each action's token scope as the code has it", () => {
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    const section = readme.split(/^## Who may do what$/m)[1]?.split(/^### Token scopes$/m)[0] ?? "";
    const shown = new Map<string, string>();
    for (const line of section.split("\n")) {
      const match = /^\|\s*`([a-z_.]+)`\s*\|[^|]*\|\s*`(taskflow:[a-z]+)`\s*\|/.exec(line);
      if (match?.[1] && match[2]) shown.set(match[1], match[2]);
    }
    expect(Object.fromEntries(shown)).toEqual(actionScopes);
  });
});
