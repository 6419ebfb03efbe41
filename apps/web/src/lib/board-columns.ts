// How much of each board column is drawn, and what a card carries to the browser. A project of 1,000 tasks
// would be 1,000 cards (and as many tasks' every field in the page's data) if drawn whole: each column shows
// its highest-priority cards first and more on demand, counted in the URL so a live refresh and the back
// button keep what the person opened. Pure functions.
import type { Task, WorkerSummary } from "@taskflow/contracts";
import { type BoardStatus, boardStatuses } from "./board";

/** Cards a column shows at first, how many more each "Show more" adds, and the most a column draws (10 steps). */
export const columnSize = { first: 20, step: 50, most: 520 } as const;

/** What a card shows, and nothing else: the page sends this, not the task, to the browser. */
export interface BoardCard {
  id: string;
  title: string;
  status: BoardStatus;
  priority: Task["priority"];
  progress: number;
  assignee: WorkerSummary | null;
  claimed: boolean;
}

export function toCard(task: Task): BoardCard {
  const { assignee } = task;
  return {
    id: task.id,
    title: task.title,
    status: task.status as BoardStatus,
    priority: task.priority,
    progress: task.progress,
    assignee: assignee
      ? { id: assignee.id, kind: assignee.kind, name: assignee.name, handle: assignee.handle }
      : null,
    claimed: task.claim !== null,
  };
}

/** A column as the server read it. */
export interface BoardColumnData {
  status: BoardStatus;
  cards: BoardCard[];
  /** The column has cards beyond those read. */
  more: boolean;
}

/** The URL parameter that holds how many cards a column shows (`?show-pending=70`). */
export const showParam = (status: BoardStatus) => `show-${status}`;

/**
 * How many cards each column shows, from the page's URL: a whole number is rounded down to a step and kept
 * within [first, most]; anything else (absent, repeated, not a number) is the first size. The URL is anyone's
 * to write, so it can ask for no more than `most` cards per column.
 */
export function columnLimits(
  searchParams: Record<string, string | string[] | undefined>,
): Record<BoardStatus, number> {
  const limits = {} as Record<BoardStatus, number>;
  for (const status of boardStatuses) {
    const raw = searchParams[showParam(status)];
    const asked = typeof raw === "string" && /^\d{1,6}$/.test(raw) ? Number(raw) : columnSize.first;
    const steps = Math.floor((Math.min(asked, columnSize.most) - columnSize.first) / columnSize.step);
    limits[status] = Math.min(columnSize.most, columnSize.first + Math.max(0, steps) * columnSize.step);
  }
  return limits;
}

/** The link that shows `step` more cards of one column, keeping the other columns' and the page's parameters. */
export function moreCardsHref(
  path: string,
  searchParams: Record<string, string | string[] | undefined>,
  limits: Record<BoardStatus, number>,
  status: BoardStatus,
): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(searchParams)) {
    // `new=1` opened the new-task form once; showing more cards must not open it again.
    if (name === "new" || name.startsWith("show-") || typeof value !== "string") continue;
    query.set(name, value);
  }
  for (const s of boardStatuses) {
    const limit = s === status ? Math.min(columnSize.most, limits[s] + columnSize.step) : limits[s];
    if (limit !== columnSize.first) query.set(showParam(s), String(limit));
  }
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

/**
 * The cards to draw: the server's, plus the card this person just moved when the server no longer sends it (it
 * went to a column where it ranks below the cards shown). It stays, in its new column, while it is selected, so
 * the focus, the next key and the announcement still find it.
 */
export function withKeptCard<T extends { id: string }>(cards: T[], kept: T | undefined): T[] {
  if (!kept || cards.some((card) => card.id === kept.id)) return cards;
  return [...cards, kept];
}
