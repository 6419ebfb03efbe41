"use client";

import type { WorkerSummary } from "@taskflow/contracts";
import { useActionState } from "react";
import { createTask, type FormState } from "@/app/actions";
import { buttonClass, FormMessage, panelClass } from "./form-message";
import { TaskFields } from "./task-fields";

export function TaskForm({
  projectId,
  parentId,
  members = [],
}: {
  projectId: string;
  parentId?: string;
  members?: WorkerSummary[];
}) {
  const [state, action, pending] = useActionState<FormState, FormData>(createTask.bind(null, projectId), {});
  return (
    <form action={action} className={`grid gap-3 ${panelClass}`}>
      <h2 className="font-semibold">{parentId ? "New subtask" : "New task"}</h2>
      {parentId ? <input type="hidden" name="parentId" value={parentId} /> : null}
      <TaskFields members={members} errors={state.errors ?? {}} />
      <FormMessage state={state} />
      <button type="submit" disabled={pending} className={buttonClass}>
        {pending ? "Creating…" : parentId ? "Create subtask" : "Create task"}
      </button>
    </form>
  );
}
