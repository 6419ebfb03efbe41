import { readFileSync } from "node:fs";
import type { Task } from "@taskflow/contracts";
import { projectPermissions, roleAllows } from "@taskflow/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixtures } from "./support/fixtures.ts";
import { startTestApi, type TestApi } from "./support/test-api.ts";

/**
 * The role table (packages/core/src/authorization/permissions.ts) exercised through the API:
 * for every project role and every permission in the table, one representative route answers
 * 2xx exactly when the table allows it and 403 when it does not. The cases are typed against
 * the table, so a permission added there without a case here does not compile; and the README's
 * "Who may do what" table is checked against it too.
 */

type Role = "viewer" | "member" | "admin" | "owner";
type Permission = keyof typeof projectPermissions;
const roles: Role[] = ["viewer", "member", "admin", "owner"];

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
  /** The project's creator (an owner), who is not the caller. */
  ownerWorkerId: string;
  /** The caller under test, with the role under test. */
  callerWorkerId: string;
  /** Another member (role member), for membership changes. */
  otherWorkerId: string;
}

interface Case {
  /** What the case does, for the test name. */
  route: string;
  run(stage: Stage, token: string): Promise<{ status: number; body: unknown }>;
}

const taskOf = async (stage: Stage, creatorId: string, values: { status?: "review" } = {}) =>
  (await fx.insertTask(stage.orgId, stage.projectId, creatorId, values)).id;

const cases: Record<Permission, Case> = {
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
      api.call("PATCH", `/api/tasks/${await taskOf(s, s.ownerWorkerId)}/progress`, {
        token,
        body: { progress: 50 },
      }),
  },
  "task.comment": {
    route: "POST /api/tasks/{id}/comments",
    run: async (s, token) =>
      api.call("POST", `/api/tasks/${await taskOf(s, s.ownerWorkerId)}/comments`, {
        token,
        body: { body: "A note" },
      }),
  },
  "task.delete_own": {
    route: "DELETE /api/tasks/{id} (a task the caller created)",
    run: async (s, token) => api.call("DELETE", `/api/tasks/${await taskOf(s, s.callerWorkerId)}`, { token }),
  },
  "task.delete_any": {
    route: "DELETE /api/tasks/{id} (someone else's task)",
    run: async (s, token) => api.call("DELETE", `/api/tasks/${await taskOf(s, s.ownerWorkerId)}`, { token }),
  },
  "task.review": {
    route: "POST /api/tasks/{id}/approve (a task in review)",
    run: async (s, token) =>
      api.call("POST", `/api/tasks/${await taskOf(s, s.ownerWorkerId, { status: "review" })}/approve`, {
        token,
        body: {},
      }),
  },
  "member.leave": {
    route: "DELETE /api/projects/{id}/members/{own worker id}",
    run: (s, token) =>
      api.call("DELETE", `/api/projects/${s.projectId}/members/${s.callerWorkerId}`, { token }),
  },
  "project.update": {
    route: "PATCH /api/projects/{id}",
    run: (s, token) =>
      api.call("PATCH", `/api/projects/${s.projectId}`, { token, body: { description: "Changed" } }),
  },
  "member.manage": {
    route: "PATCH /api/projects/{id}/members/{workerId} (member → viewer)",
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
    route: "PATCH /api/projects/{id}/members/{workerId} (member → owner)",
    run: (s, token) =>
      api.call("PATCH", `/api/projects/${s.projectId}/members/${s.otherWorkerId}`, {
        token,
        body: { role: "owner" },
      }),
  },
};

/**
 * A fresh project per case (some cases delete it). Everyone is a plain organization member, so
 * only the project role counts (organization owners and admins act as project admins).
 */
async function stage(role: Role, kind: "human" | "agent") {
  const orgId = api.newTenant();
  const orgOwner = await api.signIn({ orgId, orgRole: "owner" });
  const owner = await api.signIn({ orgId, orgRole: "member" });
  const other = await api.signIn({ orgId, orgRole: "member" });
  const project = await fx.createProject(owner.token, "Roles");
  let caller: { token: string; workerId: string };
  if (kind === "human") {
    const person = await api.signIn({ orgId, orgRole: "member" });
    caller = { token: person.token, workerId: person.workerId };
  } else {
    // A key allowed every action, so only the role counts here (key scopes have their own suite).
    const { agent, apiKey } = await fx.registerAgent(orgOwner.token, "@role-agent", {
      scopes: { actions: ["read", "write_tasks", "claim", "comment", "manage"] },
    });
    caller = { token: apiKey.key, workerId: agent.id };
  }
  await fx.addMember(owner.token, project.id, caller.workerId, role);
  await fx.addMember(owner.token, project.id, other.workerId, "member");
  const s: Stage = {
    orgId,
    projectId: project.id,
    ownerWorkerId: owner.workerId,
    callerWorkerId: caller.workerId,
    otherWorkerId: other.workerId,
  };
  return { stage: s, token: caller.token };
}

const matrix = (Object.keys(projectPermissions) as Permission[]).flatMap((permission) =>
  roles.map((role) => ({ permission, role, allowed: roleAllows(role, permission) })),
);

describe.each(["human", "agent"] as const)("the role table, for a %s caller", (kind) => {
  it.each(matrix)("$role → $permission: allowed=$allowed", async ({ permission, role, allowed }) => {
    const { stage: s, token } = await stage(role, kind);
    const res = await cases[permission].run(s, token);
    const label = `${kind} ${role} ${cases[permission].route}: ${res.status} ${JSON.stringify(res.body)}`;
    if (allowed) {
      expect(res.status, label).toBeGreaterThanOrEqual(200);
      expect(res.status, label).toBeLessThan(300);
    } else {
      expect(res.status, label).toBe(403);
    }
  });
});

describe("the role table's neighbours", () => {
  it("gives the organization's owners and admins the project admin role everywhere, members nothing", async () => {
    const orgId = api.newTenant();
    const owner = await api.signIn({ orgId, orgRole: "member" });
    const project = await fx.createProject(owner.token, "Overseen");
    const task = await api.call<Task>("POST", `/api/projects/${project.id}/tasks`, {
      token: owner.token,
      body: { title: "Theirs" },
    });
    for (const orgRole of ["owner", "admin"] as const) {
      const overseer = await api.signIn({ orgId, orgRole });
      const read = await api.call<{ role: string }>("GET", `/api/projects/${project.id}`, {
        token: overseer.token,
      });
      expect(read.body.role).toBe("admin");
      const promote = await api.call("POST", `/api/projects/${project.id}/members`, {
        token: overseer.token,
        body: { workerId: overseer.workerId, role: "owner" },
      });
      expect(promote.status).toBe(403);
    }
    const member = await api.signIn({ orgId, orgRole: "member" });
    expect((await api.call("GET", `/api/tasks/${task.body.id}`, { token: member.token })).status).toBe(404);
  });

  it("is rendered in apps/api/README.md exactly as in the code", () => {
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    const section = readme.split(/^## Who may do what$/m)[1]?.split(/^## /m)[0] ?? "";
    const rows = new Map<string, string[]>();
    for (const line of section.split("\n")) {
      const match = /^\|\s*`([a-z_.]+)`\s*\|(.*)\|\s*$/.exec(line);
      if (!match?.[1] || !match[2]) continue;
      const cells = match[2]
        .split("|")
        .map((c) => c.trim())
        .slice(-roles.length);
      // The section's other table (effects outside a project) names people and agents, not roles.
      if (cells.some((cell) => cell !== "✓" && cell !== "—")) continue;
      rows.set(match[1], cells);
    }
    const expected = new Map(
      (Object.keys(projectPermissions) as Permission[]).map((p) => [
        p,
        roles.map((r) => (roleAllows(r, p) ? "✓" : "—")),
      ]),
    );
    expect(rows).toEqual(expected);
  });
});
