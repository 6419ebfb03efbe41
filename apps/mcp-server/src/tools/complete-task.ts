import { statusTool } from "./status-tool.ts";

export const completeTaskTool = statusTool({
  name: "taskflow_complete_task",
  title: "Complete a task",
  description:
    "Mark a task completed when no review is needed. Tasks in review are completed by a reviewer (taskflow_approve_task).",
  status: "completed",
  noteLabel: "A closing note",
});
