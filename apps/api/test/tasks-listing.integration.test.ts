import type { Task, TaskPage } from "@taskflow/contracts";
import { schema } from "@taskflow/core";
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

async function list(token: string, projectId: string, query = "") {
  const res = await api.call<TaskPage>("GET", `/api/projects/${projectId}/tasks${query ? `?${query}` : ""}`, {
    token,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

/** Every page of a listing, following `nextCursor`. */
async function all(token: string, projectId: string, query: string, limit: number): Promise<Task[]> {
  const items: Task[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 1000; pages++) {
    const page: TaskPage = await list(
      token,
      projectId,
      `${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
    );
    expect(page.items.length).toBeLessThanOrEqual(limit);
    items.push(...page.items);
    cursor = page.nextCursor;
    if (!cursor) return items;
  }
  throw new Error("paging never ended");
}

const titles = (tasks: Task[]) => tasks.map((t) => t.title);

describe("filters", () => {
  it("filters by status, priority, assignee, tag, parent, due dates and text, combined with AND", async () => {
    const { owner, member, project } = await fx.team();
    const a = await fx.createTask(owner.token, project.id, {
      title: "Alpha report",
      priority: "high",
      tags: ["docs", "q1"],
      dueAt: "2026-12-01T00:00:00Z",
      assigneeId: member.workerId,
    });
    const b = await fx.createTask(owner.token, project.id, {
      title: "Beta",
      description: "fix the 50% bug_here",
      priority: "low",
      tags: ["bug"],
      dueAt: "2026-12-10T00:00:00Z",
      assigneeId: owner.workerId,
    });
    await fx.createTask(owner.token, project.id, { title: "Gamma 500 things", priority: "critical" });
    const sub = await fx.createSubtask(owner.token, a.id, { title: "Alpha detail", tags: ["docs"] });
    await fx.setStatus(owner.token, b.id, "in_progress");
    await fx.setStatus(owner.token, sub.id, "blocked");

    const q = (query: string) => list(owner.token, project.id, query).then((p) => titles(p.items).sort());
    expect(await q("status=in_progress,blocked")).toEqual(["Alpha detail", "Beta"]);
    expect(await q("status=pending")).toEqual(["Alpha report", "Gamma 500 things"]);
    expect(await q("priority=high,critical")).toEqual(["Alpha report", "Gamma 500 things"]);
    expect(await q(`assigneeId=${member.workerId}`)).toEqual(["Alpha report"]);
    expect(await q("assigneeId=me")).toEqual(["Beta"]);
    expect(await q("assigneeId=none")).toEqual(["Alpha detail", "Gamma 500 things"]);
    expect(await q("tag=docs")).toEqual(["Alpha detail", "Alpha report"]);
    expect(await q("parentId=none")).toEqual(["Alpha report", "Beta", "Gamma 500 things"]);
    expect(await q(`parentId=${a.id}`)).toEqual(["Alpha detail"]);
    expect(await q("dueBefore=2026-12-05T00:00:00Z")).toEqual(["Alpha report"]);
    expect(await q("dueAfter=2026-12-05T00:00:00Z")).toEqual(["Beta"]);
    expect(await q("q=ALPHA")).toEqual(["Alpha detail", "Alpha report"]);
    expect(await q(`q=${encodeURIComponent("50%")}`)).toEqual(["Beta"]);
    expect(await q("q=bug_")).toEqual(["Beta"]);
    expect(await q("q=%25")).toEqual(["Beta"]);
    expect(await q("tag=docs&parentId=none&priority=high")).toEqual(["Alpha report"]);
    expect(await q("status=completed")).toEqual([]);
  });

  it("answers bad filters with 400 naming the parameter", async () => {
    const { owner, project } = await fx.team();
    for (const [query, field] of [
      ["status=done", "query.status.0"],
      ["priority=urgent", "query.priority.0"],
      ["assigneeId=bob", "query.assigneeId"],
      ["parentId=top", "query.parentId"],
      ["dueBefore=soon", "query.dueBefore"],
      ["sort=title", "query.sort"],
      ["limit=0", "query.limit"],
      ["limit=101", "query.limit"],
      ["limit=ten", "query.limit"],
      ["colour=red", "query"],
    ]) {
      const res = await api.call<ProblemBody>("GET", `/api/projects/${project.id}/tasks?${query}`, {
        token: owner.token,
      });
      expect(res.status, query).toBe(400);
      expect(
        res.body.errors?.map((e) => e.field),
        query,
      ).toContain(field);
    }
    const cursor = await api.call<ProblemBody>("GET", `/api/projects/${project.id}/tasks?cursor=abc`, {
      token: owner.token,
    });
    expect(cursor.status).toBe(422);
    expect(cursor.body.errors?.[0]?.field).toBe("query.cursor");
  });
});

describe("sorting and pages", () => {
  /** Tasks with many ties: same created time, priority and due date in groups. */
  async function seeded(count: number) {
    const t = await fx.team();
    const createdAt = new Date("2026-11-01T10:00:00.123456Z");
    const priorities = ["low", "medium", "high", "critical"] as const;
    const rows = Array.from({ length: count }, (_, i) => {
      const priority = priorities[i % 4] ?? "low";
      return {
        tenantId: t.orgId,
        projectId: t.project.id,
        creatorId: t.owner.workerId,
        title: `T${String(i).padStart(3, "0")}`,
        priority,
        priorityRank: { low: 1, medium: 2, high: 3, critical: 4 }[priority],
        dueAt: i % 3 === 0 ? null : new Date(Date.UTC(2026, 11, 1 + (i % 5))),
        createdAt: new Date(createdAt.getTime() + Math.floor(i / 4) * 1000),
        updatedAt: new Date(createdAt.getTime() + (i % 7) * 1000),
      };
    });
    await api.db.insert(schema.tasks).values(rows);
    return t;
  }

  it("sorts by due (soonest first, none last), priority (highest first), created and updated (newest first)", async () => {
    const { owner, project } = await seeded(24);
    const byDue = await all(owner.token, project.id, "sort=due", 100);
    const dues = byDue.map((t) => t.dueAt);
    const withDue = dues.filter((d) => d !== null) as string[];
    expect(withDue).toEqual([...withDue].sort());
    expect(dues.slice(withDue.length).every((d) => d === null)).toBe(true);

    const byPriority = await all(owner.token, project.id, "sort=priority", 100);
    const rank = { low: 1, medium: 2, high: 3, critical: 4 };
    const ranks = byPriority.map((t) => rank[t.priority]);
    expect(ranks).toEqual([...ranks].sort((x, y) => y - x));

    for (const [sort, field] of [
      ["created", "createdAt"],
      ["updated", "updatedAt"],
    ] as const) {
      const sorted = await all(owner.token, project.id, `sort=${sort}`, 100);
      const values = sorted.map((t) => t[field]);
      expect(values).toEqual([...values].sort().reverse());
    }
    const byDefault = await list(owner.token, project.id);
    expect(byDefault.items.map((t) => t.id)).toEqual(
      (await all(owner.token, project.id, "sort=created", 100)).map((t) => t.id),
    );
  });

  it("pages through every sort in the same stable order as one big page, ties included", async () => {
    const { owner, project } = await seeded(37);
    for (const sort of ["due", "priority", "created", "updated"]) {
      const whole = await all(owner.token, project.id, `sort=${sort}`, 100);
      expect(whole).toHaveLength(37);
      for (const limit of [1, 5, 36]) {
        const paged = await all(owner.token, project.id, `sort=${sort}`, limit);
        expect(
          paged.map((t) => t.id),
          `${sort} by ${limit}`,
        ).toEqual(whole.map((t) => t.id));
      }
    }
    const filtered = await all(owner.token, project.id, "sort=priority&priority=low,high", 3);
    expect(filtered.every((t) => t.priority === "low" || t.priority === "high")).toBe(true);
    expect(new Set(filtered.map((t) => t.id)).size).toBe(filtered.length);
  });

  it("gives 50 by default and a null cursor on the last page", async () => {
    const { owner, project } = await seeded(55);
    const first = await list(owner.token, project.id);
    expect(first.items).toHaveLength(50);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await list(owner.token, project.id, `cursor=${first.nextCursor}`);
    expect(second.items).toHaveLength(5);
    expect(second.nextCursor).toBeNull();
    const exact = await list(owner.token, project.id, "limit=55");
    expect(exact.nextCursor).toBeNull();
  });

  it("refuses a cursor from another sort order", async () => {
    const { owner, project } = await seeded(5);
    const page = await list(owner.token, project.id, "sort=due&limit=2");
    const res = await api.call<ProblemBody>(
      "GET",
      `/api/projects/${project.id}/tasks?sort=priority&cursor=${page.nextCursor}`,
      { token: owner.token },
    );
    expect(res.status).toBe(422);
    expect(res.body.errors?.[0]?.field).toBe("query.cursor");
  });

  it("never skips or repeats a task while others are being created concurrently (sort=created)", async () => {
    const { owner, member, project } = await fx.team();
    const existing: string[] = [];
    for (let i = 0; i < 30; i++)
      existing.push((await fx.createTask(owner.token, project.id, { title: `E${i}` })).id);
    const seen: string[] = [];
    let cursor: string | null = null;
    let inserted = 0;
    do {
      const query: string = `sort=created&limit=4${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
      const [page] = await Promise.all([
        list(member.token, project.id, query),
        ...Array.from({ length: 3 }, () =>
          fx.createTask(owner.token, project.id, { title: `N${inserted++}` }),
        ),
      ]);
      seen.push(...page.items.map((t) => t.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    for (const id of existing) expect(seen).toContain(id);
    expect(inserted).toBeGreaterThanOrEqual(24);
  });

  it("never skips or repeats under concurrent inserts with other sorts either", async () => {
    const { owner, project } = await seeded(20);
    for (const sort of ["due", "priority"]) {
      const before = (await all(owner.token, project.id, `sort=${sort}`, 100)).map((t) => t.id);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const query: string = `sort=${sort}&limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
        const [page] = await Promise.all([
          list(owner.token, project.id, query),
          fx.createTask(owner.token, project.id, { priority: "critical", dueAt: "2026-12-01T00:00:00Z" }),
          fx.createTask(owner.token, project.id, { priority: "low" }),
        ]);
        seen.push(...page.items.map((t) => t.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(new Set(seen).size).toBe(seen.length);
      for (const id of before) expect(seen).toContain(id);
    }
  });
});
