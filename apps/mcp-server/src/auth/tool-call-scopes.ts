import {
  type Actor,
  actionScopes,
  assertTokenScopeAllows,
  recordScopeDenial,
  type ScopedAction,
  type TaskflowDb,
  type TaskflowScope,
} from "@taskflow/core";
import { taskflowTools } from "../tools/index.ts";
import { taskResourceAction } from "./scopes.ts";

const actionByTool = new Map(taskflowTools.map((tool) => [tool.name, tool.action]));

/**
 * What a JSON-RPC message does, in core's terms, when it is something a token's scope decides: a
 * `tools/call` of a tool we offer, its tool's action; a `resources/read`, the task resource's. Anything
 * else (initialize, lists, ping, prompts, notifications, unknown tools, malformed messages) shows no data
 * and needs no scope: the SDK answers it. So a request needs exactly what the REST route to the same
 * effect needs (core's actionScopes), and no scope is asked for merely to speak to this server.
 */
function actionOf(message: unknown): ScopedAction | null {
  if (!message || typeof message !== "object") return null;
  const { method, params } = message as { method?: unknown; params?: { name?: unknown } };
  if (method === "resources/read") return taskResourceAction;
  // A listen naming resources hears their changes: reading them (listen/listens.ts).
  if (method === "subscriptions/listen" && namesResources(params)) return taskResourceAction;
  if (method !== "tools/call" || typeof params?.name !== "string") return null;
  return actionByTool.get(params.name) ?? null;
}

/** The actions of a body (one message or a batch) whose scope the token lacks, each with the scope it needs. */
export function refusedActions(
  body: unknown,
  granted: ReadonlySet<string>,
): { action: ScopedAction; scope: TaskflowScope }[] {
  const refused = new Map<ScopedAction, TaskflowScope>();
  for (const message of Array.isArray(body) ? body : [body]) {
    const action = actionOf(message);
    if (action && !granted.has(actionScopes[action])) refused.set(action, actionScopes[action]);
  }
  return [...refused].map(([action, scope]) => ({ action, scope }));
}

/**
 * Audits refusals made here as core audits them on every other path: core's own check gives the refusal,
 * core's recordScopeDenial writes it (a personal access token's `personal_token.scope_denied`).
 */
export async function recordRefusals(
  db: TaskflowDb,
  actor: Actor,
  refused: readonly { action: ScopedAction }[],
): Promise<void> {
  for (const { action } of refused) {
    try {
      assertTokenScopeAllows(actor, action);
    } catch (error) {
      await recordScopeDenial(db, actor, error);
    }
  }
}

/** Whether a listen's params name resources (`notifications.resourceSubscriptions`, non-empty). */
function namesResources(params: unknown): boolean {
  const notifications = (params as { notifications?: { resourceSubscriptions?: unknown } } | undefined)
    ?.notifications;
  const uris = notifications?.resourceSubscriptions;
  return Array.isArray(uris) ? uris.length > 0 : uris !== undefined;
}
