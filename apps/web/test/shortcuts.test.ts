import { describe, expect, it } from "vitest";
import {
  isTypingTarget,
  type KeyLike,
  neighbourStatus,
  shortcutFor,
  shortcutHelp,
  stepSelection,
} from "../src/lib/shortcuts.ts";

const key = (k: string, mods: Partial<KeyLike> = {}): KeyLike => ({
  key: k,
  shiftKey: false,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  ...mods,
});

describe("the board's and the list's keys", () => {
  it("moves the selection with j/k and the arrows, opens with Enter, and asks for help with ?", () => {
    expect(shortcutFor(key("j"), "board")).toEqual({ kind: "next" });
    expect(shortcutFor(key("ArrowDown"), "list")).toEqual({ kind: "next" });
    expect(shortcutFor(key("k"), "list")).toEqual({ kind: "previous" });
    expect(shortcutFor(key("ArrowUp"), "board")).toEqual({ kind: "previous" });
    expect(shortcutFor(key("Enter"), "list")).toEqual({ kind: "open" });
    expect(shortcutFor(key("?", { shiftKey: true }), "board")).toEqual({ kind: "help" });
  });

  it("changes status with s (the choice) or 1–5 (board order)", () => {
    expect(shortcutFor(key("s"), "board")).toEqual({ kind: "status-menu" });
    expect(shortcutFor(key("1"), "list")).toEqual({ kind: "status", status: "pending" });
    expect(shortcutFor(key("3"), "board")).toEqual({ kind: "status", status: "review" });
    expect(shortcutFor(key("5"), "board")).toEqual({ kind: "status", status: "completed" });
    expect(shortcutFor(key("6"), "board")).toBeUndefined();
    expect(shortcutFor(key("0"), "board")).toBeUndefined();
  });

  it("moves a card with Shift+←/→ and only selects beside it without Shift; the list has no columns", () => {
    expect(shortcutFor(key("ArrowRight", { shiftKey: true }), "board")).toEqual({
      kind: "move",
      direction: 1,
    });
    expect(shortcutFor(key("ArrowLeft", { shiftKey: true }), "board")).toEqual({
      kind: "move",
      direction: -1,
    });
    expect(shortcutFor(key("ArrowRight"), "board")).toEqual({ kind: "column", direction: 1 });
    expect(shortcutFor(key("ArrowRight", { shiftKey: true }), "list")).toBeUndefined();
  });

  it("leaves keys with Ctrl, ⌘ or Alt to the browser (Ctrl-K is the palette's, Ctrl-J the browser's)", () => {
    expect(shortcutFor(key("j", { ctrlKey: true }), "board")).toBeUndefined();
    expect(shortcutFor(key("k", { metaKey: true }), "list")).toBeUndefined();
    expect(shortcutFor(key("1", { altKey: true }), "list")).toBeUndefined();
  });

  it("never fires while the person types in a field", () => {
    expect(isTypingTarget({ tagName: "INPUT" })).toBe(true);
    expect(isTypingTarget({ tagName: "textarea" })).toBe(true);
    expect(isTypingTarget({ tagName: "SELECT" })).toBe(true);
    expect(isTypingTarget({ tagName: "DIV", isContentEditable: true })).toBe(true);
    expect(isTypingTarget({ tagName: "A" })).toBe(false);
    expect(isTypingTarget(null)).toBe(false);
  });

  it("finds the neighbouring column, and none past the board's edges", () => {
    expect(neighbourStatus("pending", 1)).toBe("in_progress");
    expect(neighbourStatus("in_progress", 1)).toBe("review");
    expect(neighbourStatus("review", -1)).toBe("in_progress");
    expect(neighbourStatus("pending", -1)).toBeUndefined();
    expect(neighbourStatus("completed", 1)).toBeUndefined();
    expect(neighbourStatus("archived", 1)).toBeUndefined();
  });

  it("steps the selection within the list, starting at the first", () => {
    expect(stepSelection(-1, 1, 3)).toBe(0);
    expect(stepSelection(-1, -1, 3)).toBe(0);
    expect(stepSelection(0, 1, 3)).toBe(1);
    expect(stepSelection(2, 1, 3)).toBe(2);
    expect(stepSelection(0, -1, 3)).toBe(0);
    expect(stepSelection(0, 1, 0)).toBe(-1);
  });

  it("lists in its help every key it reads", () => {
    const listed = shortcutHelp.flatMap((row) => row.keys).join(" ");
    for (const k of ["j", "k", "↓", "↑", "Shift ←", "Shift →", "Enter", "s", "1", "5", "?", "Ctrl K"]) {
      expect(listed).toContain(k);
    }
  });
});
