import type { Task } from "@taskflow/contracts";
import { schema } from "@taskflow/core";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { statementLog } from "./support/statement-log.ts";
import { taskFixtures } from "./support/task-fixtures.ts";
import { startTestApi, type TestApi } from "./support/test-api.ts";

/**
 * What the API's two hot writes cost in round trips to a real PostgreSQL server (every statement its pool
 * sends, BEGIN and COMMIT included): a create with no parent, assignee or dependencies is one statement
 * (create-task-statement.ts; it was six: begin, authorize, insert, audit, read back, commit), a status
 * change is four (begin, the task with the caller's membership, the update with its audit row and answer,
 * commit; it was seven). A figure a loaded machine does not distort, as it does requests per second.
 */
let api: TestApi;
let fx: ReturnType<typeof taskFixtures>;
let team: Awaited<ReturnType<ReturnType<typeof taskFixtures>["team"]>>;
let log: ReturnType<typeof statementLog>;
beforeAll(async () => {
  // No dispatchers: their polls would share the pool and the count.
  api = await startTestApi(undefined, { webhookDispatcher: false, agentDispatcher: false });
  fx = taskFixtures(api);
  team = await fx.team();
  // A person's worker is looked up once and then remembered (resolve-human-actor.ts): not a write's cost.
  for (const person of [team.member, team.viewer]) {
    await api.call("GET", "/api/workers/me", { token: person.token });
  }
  const pool = api.database.pool;
  if (!pool) throw new Error("the PostgreSQL pass opens a pool");
  log = statementLog(pool);
});
afterAll(() => api.close());

const firstWords = (texts: string[]) => texts.map((text) => text.trim().split(/\s+/).slice(0, 2).join(" "));

it("creates a task in one statement, and a refused create writes nothing", async () => {
  log.take();
  const created = await api.call<Task>("POST", `/api/projects/${team.project.id}/tasks`, {
    token: team.member.token,
    body: { title: "Counted", tags: ["bench"] },
  });
  expect(created.status).toBe(201);
  expect(firstWords(log.take())).toEqual(['with "access"']);

  // A viewer's create writes nothing in its statement; the general path then refuses it (403).
  const refused = await api.call("POST", `/api/projects/${team.project.id}/tasks`, {
    token: team.viewer.token,
    body: { title: "Refused" },
  });
  expect(refused.status).toBe(403);
  const sent = log.take();
  expect(firstWords(sent)[0]).toBe('with "access"');
  expect(sent).toContain("rollback");
  const titles = (
    await api.db.select().from(schema.tasks).where(eq(schema.tasks.projectId, team.project.id))
  ).map((task) => task.title);
  expect(titles).toEqual(["Counted"]);
});

it("changes a task's status in four statements, its audit row written with the update", async () => {
  const task = await fx.createTask(team.member.token, team.project.id);
  log.take();
  const moved = await api.call<Task>("PATCH", `/api/tasks/${task.id}/status`, {
    token: team.member.token,
    body: { status: "blocked" },
  });
  expect(moved.status).toBe(200);
  expect(firstWords(log.take())).toEqual(["begin", 'select "tasks"."id",', 'with "updated"', "commit"]);
  expect((await fx.taskAudit(task.id)).map((entry) => entry.action)).toEqual([
    "task.created",
    "task.status_changed",
  ]);
});
