// The keyboard shortcuts of the board and the list, apart from React: which key does what, when a key is the
// person typing (never a shortcut), and where a card goes with Shift+←/→. Pure functions; the help overlay
// lists `shortcutHelp`, so what it says and what the keys do come from the same table.
import { type BoardStatus, boardStatuses } from "./board";

export type Surface = "board" | "list";

export type ShortcutAction =
  | { kind: "next" }
  | { kind: "previous" }
  | { kind: "column"; direction: -1 | 1 }
  | { kind: "move"; direction: -1 | 1 }
  | { kind: "open" }
  | { kind: "status-menu" }
  | { kind: "status"; status: BoardStatus }
  | { kind: "help" };

export interface KeyLike {
  key: string;
  shiftKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
}

/** What a key press does on the board or the list, or nothing. Keys with Ctrl, ⌘ or Alt are the browser's. */
export function shortcutFor(event: KeyLike, surface: Surface): ShortcutAction | undefined {
  if (event.ctrlKey || event.metaKey || event.altKey) return undefined;
  const { key } = event;
  if (key === "?") return { kind: "help" };
  if (key === "j" || key === "ArrowDown") return { kind: "next" };
  if (key === "k" || key === "ArrowUp") return { kind: "previous" };
  if (key === "Enter") return { kind: "open" };
  if (key === "s") return { kind: "status-menu" };
  if (/^[1-5]$/.test(key)) return { kind: "status", status: boardStatuses[Number(key) - 1] as BoardStatus };
  if (surface === "board" && (key === "ArrowLeft" || key === "ArrowRight")) {
    const direction = key === "ArrowLeft" ? -1 : 1;
    return event.shiftKey ? { kind: "move", direction } : { kind: "column", direction };
  }
  return undefined;
}

/** True when the key press goes to something the person types in: shortcuts then stay out of the way. */
export function isTypingTarget(target: { tagName?: string; isContentEditable?: boolean } | null): boolean {
  if (!target) return false;
  if (target.isContentEditable) return true;
  const tag = (target.tagName ?? "").toUpperCase();
  return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT";
}

/** The column next to `status` in `direction`, or nothing at the board's edge. */
export function neighbourStatus(status: string, direction: -1 | 1): BoardStatus | undefined {
  const index = (boardStatuses as readonly string[]).indexOf(status);
  if (index < 0) return undefined;
  return boardStatuses[index + direction];
}

/** The index after moving by `step` in a list of `count` (clamped; nothing selected yet starts at the first). */
export function stepSelection(current: number, step: 1 | -1, count: number): number {
  if (count === 0) return -1;
  if (current < 0) return 0;
  return Math.min(count - 1, Math.max(0, current + step));
}

export const shortcutHelp: { keys: string[]; does: string; where: string }[] = [
  {
    keys: ["Ctrl K", "⌘ K"],
    does: "Command palette: go to a project or task, create a task, assign, change status",
    where: "Everywhere",
  },
  { keys: ["j", "↓"], does: "Next card or row", where: "Board, list" },
  { keys: ["k", "↑"], does: "Previous card or row", where: "Board, list" },
  { keys: ["←", "→"], does: "Card in the column to the left or right", where: "Board" },
  { keys: ["Shift ←", "Shift →"], does: "Move the card to the column to the left or right", where: "Board" },
  { keys: ["Enter"], does: "Open the card or row", where: "Board, list" },
  { keys: ["s"], does: "Change status (opens the choice)", where: "Board, list" },
  {
    keys: ["1", "2", "3", "4", "5"],
    does: "Set status: 1 Pending, 2 In progress, 3 Review, 4 Blocked, 5 Completed",
    where: "Board, list",
  },
  { keys: ["?"], does: "This help", where: "Board, list" },
  { keys: ["Esc"], does: "Close this help, the palette, or an edit without saving", where: "Everywhere" },
];
