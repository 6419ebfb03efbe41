import type { Project, ProjectCreate } from "@taskflow/contracts";
import type { Actor } from "../actor.ts";
import type { TaskflowDb } from "../db/database.ts";
import { forbidden } from "../errors.ts";
import { insertProject } from "./insert-project.ts";
import { toProject } from "./to-project.ts";

/** People create projects and become their owner; agents work inside projects they are given. */
export async function createProject(db: TaskflowDb, actor: Actor, input: ProjectCreate): Promise<Project> {
  if (actor.type !== "human")
    throw forbidden("agents cannot create projects; a person creates one and adds the agent");
  const row = await db.transaction((tx) => insertProject(tx, actor, input));
  return toProject(row, "owner");
}
