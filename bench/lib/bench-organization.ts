import { randomUUID } from "node:crypto";
import type { startBenchStack } from "./bench-stack.ts";

type BenchStack = Awaited<ReturnType<typeof startBenchStack>>;

/**
 * A fresh organization for a benchmark: its owner's token, one project, and `agents` agents who are members
 * of it, each with an API key.
 */
export async function benchOrganization(
  stack: BenchStack,
  options: { projectName: string; agents: number; handlePrefix: string },
): Promise<{ owner: string; project: { id: string }; keys: string[] }> {
  const tenant = `org-bench-${randomUUID()}`;
  const owner = await stack.issuer.mint({ orgId: tenant, orgRole: "owner", sub: "bench-owner" });
  await stack.call(owner, "GET", "/api/workers/me");
  const project = await stack.call<{ id: string }>(owner, "POST", "/api/projects", {
    name: options.projectName,
  });
  const keys: string[] = [];
  for (let i = 0; i < options.agents; i++) {
    const { agent, apiKey } = await stack.call<{ agent: { id: string }; apiKey: { key: string } }>(
      owner,
      "POST",
      "/api/agents",
      { handle: `@${options.handlePrefix}-${i}`, name: `Agent ${i}`, agentType: "bench" },
    );
    await stack.call(owner, "POST", `/api/projects/${project.id}/members`, {
      workerId: agent.id,
      role: "member",
    });
    keys.push(apiKey.key);
  }
  return { owner, project, keys };
}
