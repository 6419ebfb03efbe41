import { Task, type TaskStatus } from "@taskflow/contracts";
import { changeTaskStatus } from "@taskflow/core";
import { z } from "zod";
import { expectedVersion, taskId } from "./fields.ts";
import { taskLine } from "./task-summary.ts";
import { defineTool } from "./tool-kit.ts";

/** A tool that moves a task to one status (the transition table in core decides if it may). */
export function statusTool(options: {
  name: `taskflow_${string}`;
  title: string;
  description: string;
  status: TaskStatus;
  noteLabel: string;
  noteRequired?: boolean;
}) {
  const text = z.string().trim().min(1).max(5000).describe(options.noteLabel);
  return defineTool({
    name: options.name,
    action: "task.work",
    title: options.title,
    description: options.description,
    input: z.object({ taskId, note: options.noteRequired ? text : text.optional(), expectedVersion }),
    output: Task,
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
    run: ({ db, actor, leaseSeconds }, { taskId: id, note, expectedVersion: version }) =>
      changeTaskStatus(
        db,
        actor,
        id,
        { status: options.status, ...(note ? { note } : {}) },
        { expectedVersion: version, leaseSeconds },
      ),
    summarize: (task) => taskLine(task),
  });
}
