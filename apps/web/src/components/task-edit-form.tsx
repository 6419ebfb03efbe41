"use client";

import type { Task, WorkerSummary } from "@taskflow/contracts";
import { useActionState } from "react";
import { type FormState, updateTask } from "@/app/actions";
import { buttonClass, FormMessage, panelClass } from "./form-message";
import { TaskFields } from "./task-fields";

export function TaskEditForm({ task, members }: { task: Task; members: WorkerSummary[] }) {
  const [state, action, pending] = useActionState<FormState, FormData>(
    updateTask.bind(null, { id: task.id, version: task.version, assignee: task.assignee }),
    {},
  );
  return (
    // Keyed by version: after a save (or a live change) the form opens again on the new values.
    <form key={task.version} action={action} className={`grid gap-3 ${panelClass}`}>
      <h2 className="font-semibold">Edit task</h2>
      <TaskFields prefix="edit-" task={task} members={members} errors={state.errors ?? {}} />
      <FormMessage state={state} />
      <button type="submit" disabled={pending} className={buttonClass}>
        {pending ? "Saving…" : "Save changes"}
      </button>
    </form>
  );
}
