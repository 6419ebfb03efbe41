export type { Actor, OrgRole, SystemActor } from "./actor.ts";
export { authenticateAgentKey } from "./agent-keys/authenticate-agent-key.ts";
export { agentKeyPrefix } from "./agent-keys/key-material.ts";
export { recordAudit } from "./audit/record-audit.ts";
export { projectPermissions, roleAllows } from "./authorization/permissions.ts";
export {
  migrationsFolder,
  migrationsLockId,
  schema,
  type TaskflowDb,
  type TaskflowExecutor,
  type TaskflowSchema,
  type TaskflowTx,
} from "./db/database.ts";
export * from "./errors.ts";
export { createProject } from "./projects/create-project.ts";
export { deleteProject } from "./projects/delete-project.ts";
export { getProject } from "./projects/get-project.ts";
export { listProjects } from "./projects/list-projects.ts";
export { updateProject } from "./projects/update-project.ts";
export { getCurrentWorker } from "./workers/get-current-worker.ts";
export { type HumanIdentity, resolveHumanActor } from "./workers/resolve-human-actor.ts";
export { toWorker, toWorkerSummary } from "./workers/to-worker.ts";
