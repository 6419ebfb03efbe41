import { statusTool } from "./status-tool.ts";

export const startTaskTool = statusTool({
  name: "taskflow_start_task",
  title: "Start a task",
  description: "Move a task to in_progress: you are working on it now.",
  status: "in_progress",
  noteLabel: "What you are about to do",
});
