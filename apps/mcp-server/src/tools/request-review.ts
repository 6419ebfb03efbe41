import { statusTool } from "./status-tool.ts";

export const requestReviewTool = statusTool({
  name: "taskflow_request_review",
  title: "Request review",
  description:
    "Move a task to review when your work is done and a person should check it; they approve or reject it.",
  status: "review",
  noteLabel: "What you did and what the reviewer should look at",
});
