import { z } from "@hono/zod-openapi";

/** `/api/agents/{id}/keys/{keyId}`: the agent and one of its keys. */
export const AgentKeyParams = z.object({
  id: z.uuid().openapi({ param: { name: "id", in: "path" }, description: "The agent's worker id" }),
  keyId: z.uuid().openapi({ param: { name: "keyId", in: "path" }, description: "The key's id" }),
});
