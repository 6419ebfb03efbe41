import type { Project } from "@taskflow/contracts";
import type { Actor } from "../actor.ts";
import { authorizeProject } from "../authorization/project-access.ts";
import type { TaskflowDb } from "../db/database.ts";
import { toProject } from "./to-project.ts";

export async function getProject(db: TaskflowDb, actor: Actor, projectId: string): Promise<Project> {
  const { project, role } = await authorizeProject(db, actor, projectId, "project.read");
  return toProject(project, role);
}
