import { describe, expect, it } from "vitest";
import { columns, droppedTaskId, moveMessage, moveTargets, plannedMove } from "../src/lib/board.ts";
import { task } from "./support.ts";

const pending = task({ status: "pending", title: "Write the checklist" });
const review = task({ status: "review", title: "Check the fuel" });
const other = task({ status: "in_progress", title: "Fix the door" });
const board = [pending, review, other];

describe("the board", () => {
  it("puts cards in their status's column, every column in board order, even empty ones", () => {
    const cols = columns(board);
    expect(cols.map((c) => c.status)).toEqual(["pending", "in_progress", "review", "blocked", "completed"]);
    expect(cols.map((c) => c.tasks.map((t) => t.title))).toEqual([
      ["Write the checklist"],
      ["Fix the door"],
      ["Check the fuel"],
      [],
      [],
    ]);
  });

  it("offers every other column as a move target", () => {
    expect(moveTargets("review")).toEqual(["pending", "in_progress", "blocked", "completed"]);
  });

  it("moves a card dropped on another column, and nothing when dropped on its own or outside the board", () => {
    expect(plannedMove(board, pending.id, "in_progress")).toBe(pending);
    expect(plannedMove(board, pending.id, "pending")).toBeUndefined();
    expect(plannedMove(board, pending.id, "archived")).toBeUndefined();
    expect(plannedMove(board, "not-on-this-board", "review")).toBeUndefined();
  });

  it("reads the card from a drop, and ignores text dragged in from elsewhere", () => {
    const drop = (text: string) => (format: string) => (format === "text/plain" ? text : "");
    expect(droppedTaskId(drop(` ${review.id}\n`), board)).toBe(review.id);
    expect(droppedTaskId(drop("some selected text"), board)).toBeUndefined();
    expect(droppedTaskId(drop(""), board)).toBeUndefined();
  });

  it("says what happened: moved, or refused with the API's reason", () => {
    expect(moveMessage(pending, "in_progress", { ok: true })).toBe(
      "Moved “Write the checklist” to In progress.",
    );
    expect(
      moveMessage(pending, "completed", {
        ok: false,
        message: "A task goes to Completed only from Review. Allowed from here: In progress, Blocked.",
      }),
    ).toBe(
      "Could not move “Write the checklist” to Completed: A task goes to Completed only from Review. Allowed from here: In progress, Blocked.",
    );
  });
});
