import type { ApiApp } from "../app-env.ts";
import { registerAddComment } from "./comments/add-comment.ts";
import { registerListComments } from "./comments/list-comments.ts";
import { registerCreateProject } from "./projects/create-project.ts";
import { registerDeleteProject } from "./projects/delete-project.ts";
import { registerGetProject } from "./projects/get-project.ts";
import { registerListProjects } from "./projects/list-projects.ts";
import { registerUpdateProject } from "./projects/update-project.ts";
import { registerApproveTask } from "./tasks/approve-task.ts";
import { registerAssignTask } from "./tasks/assign-task.ts";
import { registerChangeTaskStatus } from "./tasks/change-task-status.ts";
import { registerCreateSubtask } from "./tasks/create-subtask.ts";
import { registerCreateTask } from "./tasks/create-task.ts";
import { registerDeleteTask } from "./tasks/delete-task.ts";
import { registerGetTask } from "./tasks/get-task.ts";
import { registerListRecentTasks } from "./tasks/list-recent-tasks.ts";
import { registerListSubtasks } from "./tasks/list-subtasks.ts";
import { registerListTasks } from "./tasks/list-tasks.ts";
import { registerRejectTask } from "./tasks/reject-task.ts";
import { registerUpdateTask } from "./tasks/update-task.ts";
import { registerUpdateTaskProgress } from "./tasks/update-task-progress.ts";
import { registerGetCurrentWorker } from "./workers/get-current-worker.ts";

/** Every authenticated `/api` route. One line per endpoint file. */
export function registerApiRoutes(app: ApiApp): void {
  registerListProjects(app);
  registerCreateProject(app);
  registerGetProject(app);
  registerUpdateProject(app);
  registerDeleteProject(app);
  registerGetCurrentWorker(app);
  // `/api/tasks/recent` before `/api/tasks/{id}`, so the pattern cannot shadow it.
  registerListRecentTasks(app);
  registerListTasks(app);
  registerCreateTask(app);
  registerGetTask(app);
  registerUpdateTask(app);
  registerDeleteTask(app);
  registerChangeTaskStatus(app);
  registerUpdateTaskProgress(app);
  registerAssignTask(app);
  registerListSubtasks(app);
  registerCreateSubtask(app);
  registerApproveTask(app);
  registerRejectTask(app);
  registerListComments(app);
  registerAddComment(app);
}
