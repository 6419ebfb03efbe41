import type { ApiApp } from "../app-env.ts";
import { registerCreateProject } from "./projects/create-project.ts";
import { registerDeleteProject } from "./projects/delete-project.ts";
import { registerGetProject } from "./projects/get-project.ts";
import { registerListProjects } from "./projects/list-projects.ts";
import { registerUpdateProject } from "./projects/update-project.ts";
import { registerGetCurrentWorker } from "./workers/get-current-worker.ts";

/** Every authenticated `/api` route. One line per endpoint file. */
export function registerApiRoutes(app: ApiApp): void {
  registerListProjects(app);
  registerCreateProject(app);
  registerGetProject(app);
  registerUpdateProject(app);
  registerDeleteProject(app);
  registerGetCurrentWorker(app);
}
