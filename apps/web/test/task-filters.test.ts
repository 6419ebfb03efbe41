import { describe, expect, it } from "vitest";
import { apiTaskQuery, filtersHref, isFiltered, parseTaskFilters } from "../src/lib/task-filters.ts";

const id = "7d0b6f0e-6a43-4a47-9d6e-0a5a3c2b1e11";

describe("the tasks list's URL ⇄ the API's query", () => {
  it("defaults to top-level tasks, newest first, 25 a page", () => {
    const filters = parseTaskFilters({});
    expect(filters).toEqual({ status: [], priority: [], sort: "created", all: false, limit: 25 });
    expect(isFiltered(filters)).toBe(false);
    expect(apiTaskQuery(filters)).toBe("?parentId=none&sort=created&limit=25");
  });

  it("passes every filter on, as the API names them", () => {
    const filters = parseTaskFilters({
      q: " fuel ",
      status: ["review", "pending"],
      priority: "high,critical",
      assignee: id,
      tag: "launch",
      dueAfter: "2026-05-01",
      dueBefore: "2026-06-01",
      sort: "due",
      all: "1",
      cursor: "abc",
      limit: "50",
    });
    expect(isFiltered(filters)).toBe(true);
    const query = new URLSearchParams(apiTaskQuery(filters));
    expect(Object.fromEntries(query)).toEqual({
      status: "review,pending",
      priority: "high,critical",
      assigneeId: id,
      tag: "launch",
      q: "fuel",
      dueBefore: "2026-06-01T00:00:00.000Z",
      dueAfter: "2026-05-01T23:59:59.999Z",
      sort: "due",
      limit: "50",
      cursor: "abc",
    });
  });

  it("drops what the API would refuse instead of failing the page", () => {
    const filters = parseTaskFilters({
      status: "pending,done,pending",
      priority: "urgent",
      assignee: "someone",
      sort: "random",
      dueBefore: "tomorrow",
      dueAfter: "2026-13-45",
      limit: "1000",
    });
    expect(filters).toEqual({ status: ["pending"], priority: [], sort: "created", all: false, limit: 25 });
    // A day outside the years every date the API takes may have (1900 to 9999) is dropped too.
    expect(parseTaskFilters({ dueBefore: "0000-01-01", dueAfter: "1899-12-31" })).not.toHaveProperty(
      "dueBefore",
    );
    expect(parseTaskFilters({ dueAfter: "1899-12-31" })).not.toHaveProperty("dueAfter");
    expect(parseTaskFilters({ dueBefore: "1900-01-01", dueAfter: "9999-12-31" })).toMatchObject({
      dueBefore: "1900-01-01",
      dueAfter: "9999-12-31",
    });
    expect(parseTaskFilters({ assignee: "me" }).assignee).toBe("me");
    expect(parseTaskFilters({ assignee: "none" }).assignee).toBe("none");
  });

  it("builds the page's links: a filter change starts over, the next page keeps the filters", () => {
    const filters = parseTaskFilters({ q: "fuel", status: "review", sort: "priority", cursor: "c1" });
    expect(filtersHref("/projects/p/tasks", filters)).toBe(
      "/projects/p/tasks?q=fuel&status=review&sort=priority",
    );
    expect(filtersHref("/projects/p/tasks", filters, { cursor: "c2" })).toBe(
      "/projects/p/tasks?q=fuel&status=review&sort=priority&cursor=c2",
    );
    expect(filtersHref("/projects/p/tasks", filters, { status: [] })).toBe(
      "/projects/p/tasks?q=fuel&sort=priority",
    );
    // The link parses back to the same filters.
    const back = parseTaskFilters(
      Object.fromEntries(new URL(filtersHref("/x", filters, { cursor: "c2" }), "http://h").searchParams),
    );
    expect(back).toEqual({ ...filters, cursor: "c2" });
  });
});
