"use client";

import type { Task, WorkerSummary } from "@taskflow/contracts";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useState, useTransition } from "react";
import { saveTaskField } from "@/app/task-field-actions";
import { statusLabel } from "@/lib/problem";
import { isTypingTarget, shortcutFor, stepSelection } from "@/lib/shortcuts";
import { snapshotOf } from "@/lib/task-conflict";
import {
  AssigneeField,
  DueField,
  PriorityField,
  StatusField,
  TagsField,
  TitleField,
} from "./task-inline-fields";

const rowLink = (id: string) => document.querySelector<HTMLElement>(`tr[data-task-id="${CSS.escape(id)}"] a`);

/**
 * The list's table: every field but progress edited where it is shown, and the keyboard: j/k or ↓/↑ select a
 * row (its title holds the focus), Enter opens it, s opens its status, 1–5 set the status; said in the live region.
 */
export function TaskTable({
  tasks,
  members,
  projectName,
  editable,
  zone,
}: {
  tasks: Task[];
  members: WorkerSummary[];
  projectName: string;
  editable: boolean;
  /** The zone due dates are shown and entered in (the person's). */
  zone: string;
}) {
  const router = useRouter();
  const [selected, setSelected] = useState<string>();
  const [message, setMessage] = useState("");
  const [, startTransition] = useTransition();

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || isTypingTarget(event.target as HTMLElement | null)) return;
      if (document.querySelector("dialog[open]")) return;
      const action = shortcutFor(event, "list");
      if (!action) return;
      const index = tasks.findIndex((task) => task.id === selected);
      const current = tasks[index];
      if (action.kind === "next" || action.kind === "previous") {
        event.preventDefault();
        const next = tasks[stepSelection(index, action.kind === "next" ? 1 : -1, tasks.length)];
        if (next) {
          setSelected(next.id);
          rowLink(next.id)?.focus();
        }
      } else if (action.kind === "status-menu" && current && editable) {
        event.preventDefault();
        document
          .querySelector<HTMLElement>(
            `tr[data-task-id="${CSS.escape(current.id)}"] [data-field="status"] button`,
          )
          ?.click();
      } else if (action.kind === "status" && current && editable) {
        event.preventDefault();
        setMessage(`Setting “${current.title}” to ${statusLabel(action.status)}…`);
        startTransition(async () => {
          const result = await saveTaskField(snapshotOf(current), "status", action.status);
          setMessage(
            result.ok
              ? `“${current.title}” is now ${statusLabel(action.status)}.`
              : `Could not set “${current.title}” to ${statusLabel(action.status)}: ${result.message}`,
          );
          if (result.ok) router.refresh();
        });
      } else if (
        action.kind === "open" &&
        current &&
        !(event.target as HTMLElement | null)?.closest("a, button")
      ) {
        event.preventDefault();
        router.push(`/tasks/${current.id}`);
      }
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [tasks, selected, editable, router]);

  return (
    // relative: the editors' screen-reader-only labels stay inside the scrolling box (else a narrow page scrolls sideways).
    <div className="relative overflow-x-auto">
      <p aria-live="polite" role="status" data-testid="list-message" className="min-h-5 text-sm">
        {message}
      </p>
      <table className="w-full min-w-[40rem] text-left text-sm" data-testid="task-table">
        <caption className="sr-only">
          Tasks of {projectName}. Keyboard: j and k select a row, Enter opens it, s changes its status,
          question mark lists every shortcut.
        </caption>
        <thead className="border-b border-slate-200 text-xs uppercase text-slate-500 dark:border-slate-800">
          <tr>
            {["Title", "Status", "Priority", "Assignee", "Due", "Tags", "Progress"].map((heading) => (
              <th key={heading} scope="col" className="py-2 pr-3">
                {heading}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {tasks.map((task) => {
            const snapshot = snapshotOf(task);
            return (
              <tr
                key={task.id}
                data-task-id={task.id}
                data-selected={selected === task.id ? "true" : undefined}
                onFocus={() => setSelected(task.id)}
                className={`border-b border-slate-100 dark:border-slate-800 ${
                  selected === task.id ? "bg-indigo-50 dark:bg-indigo-950" : ""
                }`}
              >
                <td className="py-2 pr-3">
                  <Link href={`/tasks/${task.id}`} className="font-medium hover:underline">
                    {task.title}
                  </Link>{" "}
                  {editable ? (
                    <span className="text-slate-500">
                      <TitleField
                        task={snapshot}
                        editable={editable}
                        display={<span aria-hidden="true">✎</span>}
                      />
                    </span>
                  ) : null}
                </td>
                <td className="py-2 pr-3">
                  <StatusField task={snapshot} editable={editable} />
                </td>
                <td className="py-2 pr-3">
                  <PriorityField task={snapshot} editable={editable} />
                </td>
                <td className="py-2 pr-3">
                  <AssigneeField task={snapshot} editable={editable} members={members} />
                </td>
                <td className="py-2 pr-3">
                  <DueField task={snapshot} editable={editable} zone={zone} />
                </td>
                <td className="py-2 pr-3">
                  <TagsField task={snapshot} editable={editable} />
                </td>
                <td className="py-2 pr-3">{task.progress}%</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
