import { statusTool } from "./status-tool.ts";

export const blockTaskTool = statusTool({
  name: "taskflow_block_task",
  title: "Block a task",
  description: "Mark a task blocked and say why, so a person can unblock it.",
  status: "blocked",
  noteLabel: "Why the task is blocked and what would unblock it",
  noteRequired: true,
});
