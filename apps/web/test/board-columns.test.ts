import { describe, expect, it } from "vitest";
import { columnLimits, columnSize, moreCardsHref, toCard, withKeptCard } from "../src/lib/board-columns.ts";
import { task } from "./support.ts";

const agent = {
  id: "00000000-0000-4000-8000-0000000000a1",
  kind: "agent" as const,
  handle: "bot",
  name: "Bot",
};

describe("the board's columns", () => {
  it("sends a card only what it shows: no description, tags, dates, creator or history", () => {
    const full = task({
      title: "Check the fuel",
      description: "A long description ".repeat(100),
      tags: ["fuel"],
      priority: "high",
      progress: 40,
      assignee: agent,
      claim: {
        holderId: agent.id,
        claimedAt: "2026-01-01T00:00:00.000Z",
        leaseExpiresAt: "2026-01-01T01:00:00.000Z",
      },
    });
    const card = toCard(full);
    expect(card).toEqual({
      id: full.id,
      title: "Check the fuel",
      status: "pending",
      priority: "high",
      progress: 40,
      assignee: agent,
      claimed: true,
    });
    expect(JSON.stringify(card).length).toBeLessThan(JSON.stringify(full).length / 5);
    expect(toCard(task({ assignee: null, claim: null }))).toMatchObject({ assignee: null, claimed: false });
  });

  it("shows each column's first cards unless the URL asks for more, in steps, and never past the most", () => {
    const none = columnLimits({});
    expect(Object.values(none)).toEqual([20, 20, 20, 20, 20]);
    const asked = columnLimits({ "show-pending": "70", "show-review": "120", "show-blocked": "999999" });
    expect(asked.pending).toBe(70);
    expect(asked.review).toBe(120);
    expect(asked.blocked).toBe(columnSize.most);
    expect(asked.completed).toBe(columnSize.first);
    // Not on a step: rounded down to one.
    expect(columnLimits({ "show-pending": "69" }).pending).toBe(20);
    expect(columnLimits({ "show-pending": "71" }).pending).toBe(70);
  });

  it("reads a URL anyone can write without failing: bad values are the first size", () => {
    for (const bad of ["-5", "1e9", "abc", "", "0", "3", "12345678", " 70", "70.5"]) {
      expect(columnLimits({ "show-pending": bad }).pending, bad).toBe(columnSize.first);
    }
    expect(columnLimits({ "show-pending": ["70", "120"] }).pending).toBe(columnSize.first);
  });

  it("links to one column's next step, keeping the others' and leaving the new-task form closed", () => {
    const query = { "show-review": "70", new: "1", "show-pending": "20" };
    const limits = columnLimits(query);
    expect(moreCardsHref("/projects/p1", query, limits, "pending")).toBe(
      "/projects/p1?show-pending=70&show-review=70",
    );
    expect(moreCardsHref("/projects/p1", {}, columnLimits({}), "completed")).toBe(
      "/projects/p1?show-completed=70",
    );
    const almost = columnLimits({ "show-blocked": "470" });
    expect(moreCardsHref("/projects/p1", {}, almost, "blocked")).toBe("/projects/p1?show-blocked=520");
    expect(columnLimits({ "show-blocked": "520" }).blocked).toBe(columnSize.most);
  });

  it("keeps the card just moved when the server no longer sends it, and the server's when it does", () => {
    const a = { id: "a", status: "pending" };
    const b = { id: "b", status: "pending" };
    const movedB = { id: "b", status: "review" };
    expect(withKeptCard([a, b], movedB)).toEqual([a, b]);
    expect(withKeptCard([a], movedB)).toEqual([a, movedB]);
    expect(withKeptCard([a], undefined)).toEqual([a]);
  });
});
