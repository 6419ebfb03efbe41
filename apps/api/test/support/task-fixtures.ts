import type { Project, Task } from "@taskflow/contracts";
import { schema } from "@taskflow/core";
import { and, asc, eq } from "drizzle-orm";
import { expect } from "vitest";
import type { TestApi } from "./test-api.ts";

export type ProblemBody = {
  code: string;
  status: number;
  detail?: string;
  errors?: { field: string; message: string }[];
  allowed?: string[];
  current?: string;
  currentVersion?: number;
};

/** People, a project and tasks for the tasks and comments suites. */
export function taskFixtures(api: TestApi) {
  /**
   * A tenant with a project owned by `owner`, and `member`, `viewer` and `admin` (project roles)
   * in it; `stranger` is in the organization but not the project; `outsider` is another tenant.
   * Everyone is a plain organization member, so only project roles count.
   */
  async function team() {
    const orgId = api.newTenant();
    const owner = await api.signIn({ orgId, orgRole: "member" });
    const member = await api.signIn({ orgId, orgRole: "member" });
    const viewer = await api.signIn({ orgId, orgRole: "member" });
    const admin = await api.signIn({ orgId, orgRole: "member" });
    const stranger = await api.signIn({ orgId, orgRole: "member" });
    const outsider = await api.signIn({ orgId: api.newTenant(), orgRole: "owner" });
    const created = await api.call<Project>("POST", "/api/projects", {
      token: owner.token,
      body: { name: "Apollo" },
    });
    expect(created.status).toBe(201);
    const project = created.body;
    await addToProject(project.id, member.workerId, "member");
    await addToProject(project.id, viewer.workerId, "viewer");
    await addToProject(project.id, admin.workerId, "admin");
    return { orgId, owner, member, viewer, admin, stranger, outsider, project };
  }

  /** Memberships written straight to the database: the members API is another suite's business. */
  async function addToProject(
    projectId: string,
    workerId: string,
    role: "owner" | "admin" | "member" | "viewer",
  ) {
    await api.db.insert(schema.projectMembers).values({ projectId, workerId, role });
  }

  async function createTask(
    token: string,
    projectId: string,
    body: Record<string, unknown> = {},
  ): Promise<Task> {
    const res = await api.call<Task>("POST", `/api/projects/${projectId}/tasks`, {
      token,
      body: { title: "A task", ...body },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  }

  async function createSubtask(token: string, parentId: string, body: Record<string, unknown> = {}) {
    const res = await api.call<Task>("POST", `/api/tasks/${parentId}/subtasks`, {
      token,
      body: { title: "A subtask", ...body },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  }

  /** Puts a task in a status without going through the transition table (test setup only). */
  async function forceStatus(taskId: string, status: Task["status"]) {
    await api.db.update(schema.tasks).set({ status }).where(eq(schema.tasks.id, taskId));
  }

  async function setStatus(token: string, taskId: string, status: Task["status"]) {
    const res = await api.call<Task>("PATCH", `/api/tasks/${taskId}/status`, { token, body: { status } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  }

  async function taskAudit(taskId: string) {
    return api.db
      .select()
      .from(schema.auditLog)
      .where(eq(schema.auditLog.taskId, taskId))
      .orderBy(asc(schema.auditLog.id));
  }

  async function auditActions(tenantId: string, action: string) {
    return api.db
      .select()
      .from(schema.auditLog)
      .where(and(eq(schema.auditLog.tenantId, tenantId), eq(schema.auditLog.action, action)))
      .orderBy(asc(schema.auditLog.id));
  }

  return { team, addToProject, createTask, createSubtask, forceStatus, setStatus, taskAudit, auditActions };
}
