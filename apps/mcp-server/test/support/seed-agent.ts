import {
  addMember,
  createProject,
  registerAgent,
  resolveHumanActor,
  type TaskflowDb,
  taskflowScopes,
} from "@taskflow/core";

/** An organization with a project and an agent who is a member of it, written straight through core. */
export async function seedAgent(db: TaskflowDb, tenantId: string) {
  const owner = await resolveHumanActor(db, {
    tenantId,
    userId: "owner",
    orgRole: "owner",
    channel: "api",
    scopes: taskflowScopes,
  });
  const project = await createProject(db, owner, { name: "Served while draining", description: "" });
  const { agent, apiKey } = await registerAgent(db, owner, {
    handle: "@steady-agent",
    name: "Steady agent",
    agentType: "claude-code",
    capabilities: [],
  });
  await addMember(db, owner, project.id, { workerId: agent.id, role: "member" });
  return { projectId: project.id, agentId: agent.id, key: apiKey.key };
}

/** One MCP JSON-RPC `tools/call`, as a client POSTs it. */
export function toolCall(name: string, args: Record<string, unknown> = {}, id = 1) {
  return JSON.stringify({ jsonrpc: "2.0", id, method: "tools/call", params: { name, arguments: args } });
}

/** The headers of an MCP POST with an agent key. */
export function mcpHeaders(key: string): Record<string, string> {
  return {
    authorization: `Bearer ${key}`,
    "content-type": "application/json",
    accept: "application/json, text/event-stream",
    "mcp-protocol-version": "2025-11-25",
  };
}
