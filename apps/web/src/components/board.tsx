"use client";

import type { Task } from "@taskflow/contracts";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { type DragEvent, useState, useTransition } from "react";
import { moveTask } from "@/app/actions";
import { columns, dragFormat, droppedTaskId, moveMessage, moveTargets, plannedMove } from "@/lib/board";
import { emptyColumn } from "@/lib/empty-states";
import { statusLabel } from "@/lib/problem";
import { Avatar } from "./avatar";
import { useBoardKeys } from "./use-board-keys";

type CardTask = Pick<Task, "id" | "title" | "status" | "priority" | "progress" | "assignee" | "claim">;

export function Board({ tasks }: { tasks: CardTask[] }) {
  const router = useRouter();
  const [message, setMessage] = useState<string>();
  const [pending, startTransition] = useTransition();
  const [over, setOver] = useState<string>();

  const move = (taskId: string, status: string) => {
    const task = plannedMove(tasks, taskId, status);
    if (!task) return;
    setMessage(undefined);
    startTransition(async () => {
      const result = await moveTask(taskId, status);
      setMessage(moveMessage(task, status, result));
      if (result.ok) router.refresh();
    });
  };

  const { selected, setSelected } = useBoardKeys(tasks, move);

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
                {statusLabel(status)} <span className="text-slate-500">({column.length})</span>
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
                    <Link href={`/tasks/${task.id}`} className="font-medium hover:underline">
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
                      {task.claim ? " · claimed" : ""}
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
