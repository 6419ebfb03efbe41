import type { IssuedAgentKey, Member, Project, Worker } from "@taskflow/contracts";
import { schema } from "@taskflow/core";
import { expect } from "vitest";
import type { TestApi } from "./test-api.ts";

/** Helpers for setting up people, agents, projects and memberships through the API itself. */
export function fixtures(api: TestApi) {
  async function createProject(token: string, name = "Project"): Promise<Project> {
    const res = await api.call<Project>("POST", "/api/projects", { token, body: { name } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  }

  async function registerAgent(
    token: string,
    handle: string,
    extra: {
      name?: string;
      agentType?: string;
      capabilities?: string[];
      scopes?: { projectIds?: string[] | null; actions?: string[] };
    } = {},
  ): Promise<{ agent: Worker; apiKey: IssuedAgentKey }> {
    const res = await api.call<{ agent: Worker; apiKey: IssuedAgentKey }>("POST", "/api/agents", {
      token,
      body: { handle, name: extra.name ?? handle, agentType: extra.agentType ?? "claude-code", ...extra },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  }

  async function addMember(token: string, projectId: string, workerId: string, role = "member") {
    const res = await api.call<Member>("POST", `/api/projects/${projectId}/members`, {
      token,
      body: { workerId, role },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  }

  /** A task written straight to the database (the tasks routes are another file's business). */
  async function insertTask(
    tenantId: string,
    projectId: string,
    creatorId: string,
    values: Partial<typeof schema.tasks.$inferInsert> = {},
  ) {
    const [task] = await api.db
      .insert(schema.tasks)
      .values({ tenantId, projectId, creatorId, title: "A task", ...values })
      .returning();
    if (!task) throw new Error("no task");
    return task;
  }

  async function auditRows(tenantId: string) {
    return api.db.query.auditLog.findMany({
      where: (a, { eq }) => eq(a.tenantId, tenantId),
      orderBy: (a, { asc }) => asc(a.id),
    });
  }

  return { createProject, registerAgent, addMember, insertTask, auditRows };
}
