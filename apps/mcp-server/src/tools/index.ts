import { acknowledgeStopTool } from "./acknowledge-stop.ts";
import { addCommentTool } from "./add-comment.ts";
import { addSubtaskTool } from "./add-subtask.ts";
import { addTaskTool } from "./add-task.ts";
import { approveTaskTool } from "./approve-task.ts";
import { askAndWaitTool } from "./ask-and-wait.ts";
import { assignTaskTool } from "./assign-task.ts";
import { blockTaskTool } from "./block-task.ts";
import { claimTaskTool } from "./claim-task.ts";
import { completeTaskTool } from "./complete-task.ts";
import { deleteTaskTool } from "./delete-task.ts";
import { findWorkersTool } from "./find-workers.ts";
import { getTaskTool } from "./get-task.ts";
import { heartbeatTool } from "./heartbeat.ts";
import { listProjectsTool } from "./list-projects.ts";
import { listTasksTool } from "./list-tasks.ts";
import { postActivityTool } from "./post-activity.ts";
import { projectAuditTool } from "./project-audit.ts";
import { readPromptsTool } from "./read-prompts.ts";
import { rejectTaskTool } from "./reject-task.ts";
import { releaseTaskTool } from "./release-task.ts";
import { requestReviewTool } from "./request-review.ts";
import { startTaskTool } from "./start-task.ts";
import { taskAuditTool } from "./task-audit.ts";
import { taskChainTool } from "./task-chain.ts";
import type { TaskflowTool } from "./tool-kit.ts";
import { updateProgressTool } from "./update-progress.ts";
import { updateTaskTool } from "./update-task.ts";

/** Every tool the server offers, in the order a client lists them. */
export const taskflowTools: readonly TaskflowTool[] = [
  listProjectsTool,
  listTasksTool,
  getTaskTool,
  findWorkersTool,
  claimTaskTool,
  heartbeatTool,
  acknowledgeStopTool,
  releaseTaskTool,
  addTaskTool,
  updateTaskTool,
  deleteTaskTool,
  startTaskTool,
  updateProgressTool,
  requestReviewTool,
  completeTaskTool,
  blockTaskTool,
  assignTaskTool,
  addSubtaskTool,
  taskChainTool,
  addCommentTool,
  postActivityTool,
  askAndWaitTool,
  readPromptsTool,
  taskAuditTool,
  projectAuditTool,
  approveTaskTool,
  rejectTaskTool,
];
