import { describe, expect, it } from "vitest";
import { conflictChanges, conflictMessage, snapshotOf } from "../src/lib/task-conflict.ts";
import { fieldRequest, isEditableField } from "../src/lib/task-field-edit.ts";
import { ada, bot, task } from "./support.ts";

const seen = task({ title: "Fuel check", status: "pending", priority: "medium", tags: ["launch", "fuel"] });

describe("a conflict (412) in words", () => {
  it("names each field that differs with its new value, in the order the page shows them", () => {
    const now = {
      ...seen,
      version: seen.version + 2,
      status: "review" as const,
      assignee: bot,
      dueAt: "2026-05-01T09:30:00.000Z",
    };
    const changes = conflictChanges(snapshotOf(seen), snapshotOf(now));
    expect(changes.map((c) => [c.field, c.now])).toEqual([
      ["status", "Review"],
      ["assignee", "Bot (agent)"],
      ["dueAt", "1 May 2026, 09:30 UTC"],
    ]);
    expect(conflictMessage(changes)).toBe(
      "Someone changed this task since you opened it: Status is now Review; Assignee is now Bot (agent); " +
        "Due is now 1 May 2026, 09:30 UTC. Your change was not saved; reload to see the task as it is now.",
    );
  });

  it("reads the same tags in another order, or the same instant written otherwise, as unchanged", () => {
    const before = { ...seen, dueAt: "2026-05-01T09:30:00Z" };
    const after = { ...seen, version: 9, tags: ["fuel", "launch"], dueAt: "2026-05-01T09:30:00.000Z" };
    expect(conflictChanges(before, after)).toEqual([]);
  });

  it("says a title, a cleared assignee and removed tags as they are now; a description only as changed", () => {
    const before = { ...seen, assignee: ada };
    const after = { ...seen, title: "Fuel and oxygen check", assignee: null, tags: [], description: "new" };
    const message = conflictMessage(conflictChanges(before, after));
    expect(message).toContain("Title is now “Fuel and oxygen check”");
    expect(message).toContain("Assignee is now nobody");
    expect(message).toContain("Tags is now none");
    expect(message).toContain("Description changed");
  });

  it("says so when nothing the page shows changed (another field did)", () => {
    expect(conflictMessage([])).toMatch(/nothing shown here.*not saved/);
  });
});

describe("one field edited in place, as a request", () => {
  it("sends If-Match with the version the edit started from, on every field", () => {
    for (const field of ["title", "status", "priority", "assignee", "dueAt", "tags"] as const) {
      expect(fieldRequest("t1", 7, field, "x").init.headers).toEqual({ "if-match": '"7"' });
    }
  });

  it("uses the status and assign endpoints, and a one-field PATCH for the rest", () => {
    expect(fieldRequest("t1", 1, "status", "review")).toMatchObject({
      path: "/api/tasks/t1/status",
      init: { method: "PATCH", body: { status: "review" } },
    });
    expect(fieldRequest("t1", 1, "assignee", "")).toMatchObject({
      path: "/api/tasks/t1/assign",
      init: { body: { assigneeId: null } },
    });
    expect(fieldRequest("t1", 1, "tags", " a, b,,a ").init.body).toEqual({ tags: ["a", "b"] });
    expect(fieldRequest("t1", 1, "dueAt", "2026-05-01T09:30").init.body).toEqual({
      dueAt: "2026-05-01T09:30:00.000Z",
    });
    expect(fieldRequest("t1", 1, "dueAt", "").init.body).toEqual({ dueAt: null });
    expect(fieldRequest("t1", 1, "title", "  New name ").init.body).toEqual({ title: "New name" });
    expect(fieldRequest("a/b", 1, "priority", "high").path).toBe("/api/tasks/a%2Fb");
  });

  it("accepts only the six fields edited in place", () => {
    expect(["title", "status", "priority", "assignee", "dueAt", "tags"].every(isEditableField)).toBe(true);
    expect(isEditableField("description")).toBe(false);
    expect(isEditableField("version")).toBe(false);
  });
});
