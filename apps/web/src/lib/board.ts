// The board's logic, apart from React so it can be tested without a browser: columns, where a card may be moved,
// what a drop or a "Move to…" choice does, and what the person is told afterwards. Pure functions.
import { statusLabel } from "./problem";

export const boardStatuses = ["pending", "in_progress", "review", "blocked", "completed"] as const;
export type BoardStatus = (typeof boardStatuses)[number];

/** What a drag carries: the card's task id, as plain text (what every browser hands over). */
export const dragFormat = "text/plain";

interface Card {
  id: string;
  title: string;
  status: string;
}

/** The columns in board order, each with its cards in the order given; cards of another status are left out. */
export function columns<T extends Card>(tasks: T[]): { status: BoardStatus; tasks: T[] }[] {
  return boardStatuses.map((status) => ({ status, tasks: tasks.filter((task) => task.status === status) }));
}

/** The "Move to…" choices of a card: every other column (the API says whether the move is allowed). */
export function moveTargets(current: string): BoardStatus[] {
  return boardStatuses.filter((status) => status !== current);
}

/**
 * What dropping a card on a column (or choosing it) does: the card to move, or nothing when the card is not on
 * this board, it is already in that column, or the target is not a column.
 */
export function plannedMove<T extends Card>(tasks: T[], taskId: string, status: string): T | undefined {
  if (!(boardStatuses as readonly string[]).includes(status)) return undefined;
  const task = tasks.find((t) => t.id === taskId);
  return task && task.status !== status ? task : undefined;
}

/** The task id a drop carries, if it carries one (a drag from elsewhere carries text that is not a card). */
export function droppedTaskId(getData: (format: string) => string, tasks: Card[]): string | undefined {
  const id = getData(dragFormat).trim();
  return tasks.some((t) => t.id === id) ? id : undefined;
}

/** What the board says after a move: done, or refused with the API's reason (it names where the task may go). */
export function moveMessage(
  task: Pick<Card, "title">,
  status: string,
  result: { ok: true } | { ok: false; message: string },
): string {
  return result.ok
    ? `Moved “${task.title}” to ${statusLabel(status)}.`
    : `Could not move “${task.title}” to ${statusLabel(status)}: ${result.message}`;
}
