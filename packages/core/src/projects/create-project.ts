import type { Project, ProjectCreate } from "@taskflow/contracts";
import type { Actor } from "../actor.ts";
import { authorizeOrganizationEffect } from "../authorization/organization-access.ts";
import type { TaskflowDb } from "../db/database.ts";
import { insertProject } from "./insert-project.ts";
import { toProject } from "./to-project.ts";

/** People create projects and become their owner; agents work inside projects they are given. */
export async function createProject(db: TaskflowDb, actor: Actor, input: ProjectCreate): Promise<Project> {
  authorizeOrganizationEffect(actor, "project.create");
  const row = await db.transaction((tx) => insertProject(tx, actor, input));
  return toProject(row, "owner");
}
