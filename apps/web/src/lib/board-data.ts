// The board's cards, read from the API column by column (each its highest-priority top-level tasks first), in
// parallel, each up to the number of cards the URL asks it to show. Server only.
import type { TaskPage } from "@taskflow/contracts";
import { apiGet } from "./api";
import { enc } from "./api-client";
import { type BoardStatus, boardStatuses } from "./board";
import { type BoardCard, type BoardColumnData, toCard } from "./board-columns";

/** The API's largest page. */
const pageLimit = 100;

export function loadBoardColumns(
  projectId: string,
  limits: Record<BoardStatus, number>,
  returnTo: string,
): Promise<BoardColumnData[]> {
  return Promise.all(
    boardStatuses.map(async (status) => {
      const cards: BoardCard[] = [];
      let cursor: string | null = null;
      do {
        const limit = Math.min(pageLimit, limits[status] - cards.length);
        const after: string = cursor ? `&cursor=${enc(cursor)}` : "";
        const page: TaskPage = await apiGet<TaskPage>(
          `/api/projects/${enc(projectId)}/tasks?parentId=none&status=${status}&sort=priority&limit=${limit}${after}`,
          returnTo,
        );
        cards.push(...page.items.map(toCard));
        cursor = page.nextCursor;
      } while (cursor && cards.length < limits[status]);
      return { status, cards, more: cursor !== null };
    }),
  );
}
