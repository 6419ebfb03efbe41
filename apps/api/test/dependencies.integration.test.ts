import type { Project, Task, TaskDetail } from "@taskflow/contracts";
import { hasNoOpenDependencies, openDependencies, schema } from "@taskflow/core";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ProblemBody, taskFixtures } from "./support/task-fixtures.ts";
import { startTestApi, type TestApi } from "./support/test-api.ts";

let api: TestApi;
let fx: ReturnType<typeof taskFixtures>;
beforeAll(async () => {
  api = await startTestApi();
  fx = taskFixtures(api);
});
afterAll(() => api.close());

type CycleProblem = ProblemBody & { cycle?: string[] };

const depend = (token: string, taskId: string, dependsOnId: string) =>
  api.call<Omit<Task, "status"> & CycleProblem>("POST", `/api/tasks/${taskId}/dependencies`, {
    token,
    body: { dependsOnId },
  });

async function dependencyRows(taskId: string) {
  return api.db.select().from(schema.taskDependencies).where(eq(schema.taskDependencies.taskId, taskId));
}

describe("task dependencies", () => {
  it("refuses a cycle A → B → C → A with 409 naming the tasks that would form it, in order", async () => {
    const { member, project } = await fx.team();
    const a = await fx.createTask(member.token, project.id, { title: "A" });
    const b = await fx.createTask(member.token, project.id, { title: "B" });
    const c = await fx.createTask(member.token, project.id, { title: "C" });
    const ab = await depend(member.token, a.id, b.id);
    expect(ab.status).toBe(200);
    expect(ab.body.dependsOn).toEqual([b.id]);
    expect(ab.body.version).toBe(a.version + 1);
    expect((await depend(member.token, b.id, c.id)).status).toBe(200);

    const ca = await depend(member.token, c.id, a.id);
    expect(ca.status).toBe(409);
    expect(ca.body.code).toBe("conflict");
    expect(ca.body.cycle).toEqual([c.id, a.id, b.id]);
    expect(ca.body.detail).toContain(`${c.id} → ${a.id} → ${b.id} → ${c.id}`);
    expect(await dependencyRows(c.id)).toEqual([]);

    // A two-task cycle is refused too, and a task cannot depend on itself.
    const ba = await depend(member.token, b.id, a.id);
    expect(ba.status).toBe(409);
    expect(ba.body.cycle).toEqual([b.id, a.id]);
    const self = await depend(member.token, a.id, a.id);
    expect(self.status).toBe(422);
    expect(self.body.errors?.[0]?.field).toBe("body.dependsOnId");

    // A diamond is not a cycle: A → C as well is fine.
    expect((await depend(member.token, a.id, c.id)).status).toBe(200);
    const audit = await api.db
      .select()
      .from(schema.auditLog)
      .where(
        and(eq(schema.auditLog.projectId, project.id), eq(schema.auditLog.action, "task.dependency_added")),
      );
    expect(audit.map((row) => row.after)).toEqual([
      { taskId: a.id, dependsOnId: b.id },
      { taskId: b.id, dependsOnId: c.id },
      { taskId: a.id, dependsOnId: c.id },
    ]);
  });

  it("refuses a dependency on a task of another project, or one that does not exist", async () => {
    const { owner, member, project } = await fx.team();
    const other = await api.call<Project>("POST", "/api/projects", {
      token: owner.token,
      body: { name: "Elsewhere" },
    });
    const here = await fx.createTask(member.token, project.id);
    const there = await fx.createTask(owner.token, other.body.id);
    const cross = await depend(member.token, here.id, there.id);
    expect(cross.status).toBe(422);
    expect(cross.body.detail).toMatch(/same project|this project/);
    expect(await dependencyRows(here.id)).toEqual([]);
    const created = await api.call<ProblemBody>("POST", `/api/projects/${project.id}/tasks`, {
      token: member.token,
      body: { title: "Needs the other one", dependsOn: [there.id] },
    });
    expect(created.status).toBe(422);
    expect(created.body.errors?.[0]?.field).toBe("body.dependsOn");
    const missing = await depend(member.token, here.id, "00000000-0000-4000-8000-000000000000");
    expect(missing.status).toBe(422);
  });

  it("shows what blocks a task, and clears it when the dependency completes", async () => {
    const { member, project } = await fx.team();
    const first = await fx.createTask(member.token, project.id, { title: "Design" });
    const second = await fx.createTask(member.token, project.id, { title: "Build", dependsOn: [first.id] });
    expect(second.dependsOn).toEqual([first.id]);
    expect(second.blockedBy).toEqual([first.id]);
    expect(await openDependencies(api.db, second.id)).toEqual([first.id]);
    const claimable = async () =>
      (
        await api.db
          .select({ id: schema.tasks.id })
          .from(schema.tasks)
          .where(and(eq(schema.tasks.projectId, project.id), hasNoOpenDependencies(schema.tasks.id)))
      ).map((r) => r.id);
    expect(await claimable()).toEqual([first.id]);

    await fx.forceStatus(first.id, "completed");
    const after = await api.call<TaskDetail>("GET", `/api/tasks/${second.id}`, { token: member.token });
    expect(after.body.dependsOn).toEqual([first.id]);
    expect(after.body.blockedBy).toEqual([]);
    expect(await openDependencies(api.db, second.id)).toEqual([]);
    expect((await claimable()).sort()).toEqual([first.id, second.id].sort());
  });

  it("drops a dependency (audited), answers 404 for one that is not there, and needs task.work", async () => {
    const { member, viewer, project } = await fx.team();
    const a = await fx.createTask(member.token, project.id);
    const b = await fx.createTask(member.token, project.id, { dependsOn: [a.id] });
    expect((await depend(viewer.token, a.id, b.id)).status).toBe(403);
    const refusedRemoval = await api.call("DELETE", `/api/tasks/${b.id}/dependencies/${a.id}`, {
      token: viewer.token,
    });
    expect(refusedRemoval.status).toBe(403);
    const removed = await api.call<Task>("DELETE", `/api/tasks/${b.id}/dependencies/${a.id}`, {
      token: member.token,
    });
    expect(removed.status).toBe(200);
    expect(removed.body.dependsOn).toEqual([]);
    expect(removed.body.blockedBy).toEqual([]);
    const again = await api.call("DELETE", `/api/tasks/${b.id}/dependencies/${a.id}`, {
      token: member.token,
    });
    expect(again.status).toBe(404);
    const [row] = await api.db
      .select()
      .from(schema.auditLog)
      .where(and(eq(schema.auditLog.taskId, b.id), eq(schema.auditLog.action, "task.dependency_removed")));
    expect(row).toMatchObject({ actorId: member.workerId, before: { taskId: b.id, dependsOnId: a.id } });
  });
});

describe("required capabilities", () => {
  it("are kept on create, subtask and update, deduplicated, and validated like agent capabilities", async () => {
    const { member, project } = await fx.team();
    const task = await fx.createTask(member.token, project.id, {
      requiredCapabilities: ["code:typescript", "review", "review"],
    });
    expect(task.requiredCapabilities).toEqual(["code:typescript", "review"]);
    const sub = await fx.createSubtask(member.token, task.id, { requiredCapabilities: ["docs"] });
    expect(sub.requiredCapabilities).toEqual(["docs"]);
    const updated = await api.call<Task>("PATCH", `/api/tasks/${task.id}`, {
      token: member.token,
      body: { requiredCapabilities: ["sql"] },
    });
    expect(updated.status).toBe(200);
    expect(updated.body.requiredCapabilities).toEqual(["sql"]);
    const [row] = await api.db.select().from(schema.tasks).where(eq(schema.tasks.id, task.id));
    expect(row?.requiredCapabilities).toEqual(["sql"]);
    const bad = await api.call<ProblemBody>("POST", `/api/projects/${project.id}/tasks`, {
      token: member.token,
      body: { title: "x", requiredCapabilities: ["Not A Capability"] },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.[0]?.field).toMatch(/requiredCapabilities/);
  });
});
