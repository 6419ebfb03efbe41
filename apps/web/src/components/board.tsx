"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { type DragEvent, useMemo, useState, useTransition } from "react";
import { moveTask } from "@/app/actions";
import { columns, dragFormat, droppedTaskId, moveMessage, moveTargets, plannedMove } from "@/lib/board";
import { type BoardCard, type BoardColumnData, columnSize, withKeptCard } from "@/lib/board-columns";
import { emptyColumn } from "@/lib/empty-states";
import { statusLabel } from "@/lib/problem";
import { Avatar } from "./avatar";
import { useBoardKeys } from "./use-board-keys";

export type BoardColumn = BoardColumnData & {
  /** Where "Show more" goes (this page with more cards of the column), when the column has more. */
  moreHref: string | null;
};

/**
 * The board: one client component for every card (React delegates their events from the root), drawn from the
 * few fields a card shows. Each column holds its first cards; "Show more" asks the server for more.
 */
export function Board({ columns: shown }: { columns: BoardColumn[] }) {
  const router = useRouter();
  const [message, setMessage] = useState<string>();
  const [pending, startTransition] = useTransition();
  const [over, setOver] = useState<string>();
  // The card this person moved last, in its new column, for when the server no longer sends it (see withKeptCard).
  const [kept, setKept] = useState<BoardCard>();
  const [selected, setSelected] = useState<string>();
  // One array per server render or kept card: the keys' focus effect runs when the cards change, not on every render.
  const tasks = useMemo(
    () =>
      withKeptCard(
        shown.flatMap((column) => column.cards),
        kept?.id === selected ? kept : undefined,
      ),
    [shown, kept, selected],
  );

  const move = (taskId: string, status: string) => {
    const task = plannedMove(tasks, taskId, status);
    if (!task) return;
    setMessage(undefined);
    startTransition(async () => {
      const result = await moveTask(taskId, status);
      setMessage(moveMessage(task, status, result));
      if (result.ok) {
        setKept({ ...task, status: status as BoardCard["status"] });
        setSelected(taskId);
        router.refresh();
      }
    });
  };

  useBoardKeys(tasks, move, selected, setSelected);
  const moreOf = new Map(shown.map((column) => [column.status, column]));

  const onDrop = (status: string) => (event: DragEvent) => {
    event.preventDefault();
    setOver(undefined);
    const taskId = droppedTaskId((format) => event.dataTransfer.getData(format), tasks);
    if (taskId) move(taskId, status);
  };

  return (
    <div>
      <p aria-live="polite" role="status" className="mb-3 min-h-6 text-sm" data-testid="board-message">
        {pending ? "Moving…" : message}
      </p>
      <p className="sr-only">
        Keyboard: j and k select cards, Shift with the left or right arrow moves the selected card, question
        mark lists every shortcut.
      </p>
      <div className="grid gap-3 overflow-x-auto sm:grid-cols-2 lg:grid-cols-5">
        {columns(tasks).map(({ status, tasks: column }) => {
          return (
            <section
              key={status}
              aria-label={statusLabel(status)}
              data-status={status}
              onDragOver={(event) => {
                event.preventDefault();
                setOver(status);
              }}
              onDragLeave={() => setOver(undefined)}
              onDrop={onDrop(status)}
              className={`min-h-40 rounded border p-2 ${
                over === status
                  ? "border-indigo-500 bg-indigo-50 dark:bg-indigo-950"
                  : "border-slate-200 bg-slate-100 dark:border-slate-800 dark:bg-slate-900"
              }`}
            >
              <h2 className="mb-2 text-sm font-semibold">
                {statusLabel(status)}{" "}
                <span className="text-slate-500">
                  ({column.length}
                  {moreOf.get(status)?.more ? "+" : ""})
                </span>
              </h2>
              <ul className="grid gap-2">
                {column.map((task) => (
                  <li
                    key={task.id}
                    draggable
                    data-task-id={task.id}
                    data-selected={selected === task.id ? "true" : undefined}
                    onFocus={() => setSelected(task.id)}
                    onDragStart={(event) => {
                      event.dataTransfer.setData(dragFormat, task.id);
                      event.dataTransfer.effectAllowed = "move";
                    }}
                    className={`cursor-grab rounded border bg-white p-2 text-sm shadow-sm dark:bg-slate-800 ${
                      selected === task.id
                        ? "border-indigo-500 ring-2 ring-indigo-500"
                        : "border-slate-200 dark:border-slate-700"
                    }`}
                  >
                    {/* No prefetch: a board of cards in view would ask the server for every one of their pages. */}
                    <Link href={`/tasks/${task.id}`} prefetch={false} className="font-medium hover:underline">
                      {task.title}
                    </Link>
                    <div className="mt-1 text-xs text-slate-500">
                      {task.priority} · {task.progress}%
                      {task.assignee ? (
                        <>
                          {" · "}
                          <Avatar worker={task.assignee} />{" "}
                          {`${task.assignee.handle}${task.assignee.kind === "agent" ? " (agent)" : ""}`}
                        </>
                      ) : (
                        ""
                      )}
                      {task.claimed ? " · claimed" : ""}
                    </div>
                    <label className="mt-2 block text-xs">
                      <select
                        aria-label={`Move “${task.title}” to`}
                        value=""
                        disabled={pending}
                        onChange={(event) => move(task.id, event.target.value)}
                        className="w-full rounded border border-slate-300 bg-white px-1 py-0.5 dark:border-slate-600 dark:bg-slate-900"
                      >
                        <option value="" disabled>
                          Move to…
                        </option>
                        {moveTargets(task.status).map((s) => (
                          <option key={s} value={s}>
                            {statusLabel(s)}
                          </option>
                        ))}
                      </select>
                    </label>
                  </li>
                ))}
              </ul>
              {moreOf.get(status)?.moreHref ? (
                <Link
                  href={moreOf.get(status)?.moreHref ?? ""}
                  scroll={false}
                  prefetch={false}
                  className="mt-2 block rounded border border-slate-300 px-2 py-1 text-center text-xs hover:bg-white dark:border-slate-700 dark:hover:bg-slate-800"
                >
                  Show {columnSize.step} more<span className="sr-only"> in {statusLabel(status)}</span>
                </Link>
              ) : null}
              {column.length === 0 ? (
                <p className="text-xs text-slate-600 dark:text-slate-400" data-testid="empty-column">
                  {emptyColumn[status]}
                </p>
              ) : null}
            </section>
          );
        })}
      </div>
    </div>
  );
}
