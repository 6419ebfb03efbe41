import type { Project } from "@taskflow/contracts";
import type { Actor } from "../actor.ts";
import { readableProjects } from "../authorization/readable-projects.ts";
import type { TaskflowDb } from "../db/database.ts";
import { toProject } from "./to-project.ts";

/**
 * Projects the caller can read (readableProjects: the decision each project's own reads get): those they
 * are a member of, or all of the tenant for its owners and admins; an agent key's only, and none without
 * the read action; a token without the read scope is refused.
 */
export async function listProjects(db: TaskflowDb, actor: Actor): Promise<Project[]> {
  return (await readableProjects(db, actor)).map(({ project, role }) => toProject(project, role));
}
