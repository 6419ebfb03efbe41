import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type JsonRpcMessage, postInEra } from "./support/era-requests.ts";
import { startTestMcp, type TestMcp } from "./support/test-mcp.ts";

/**
 * 2026-07-28 cache hints (src/cache-hints.ts): an answer marked `public` may be served by a shared cache to
 * anyone, so it must not depend on who asked. Callers as different as they come (an agent key of one
 * organization, a read-only person token of another) must get the very same `public` answers; what depends
 * on the caller (a task read) must be `private` and never reused.
 */
let mcp: TestMcp;
let agentKey: string;
let readOnlyToken: string;
let taskUri: string;

const modern = "2026-07-28" as const;

async function resultOf(credential: string, message: JsonRpcMessage) {
  const answer = await postInEra(mcp.mcpUrl, modern, message, { credential });
  expect(answer.status).toBe(200);
  const body = (await answer.json()) as { result: Record<string, unknown> & { _meta?: unknown } };
  return body.result;
}

beforeAll(async () => {
  mcp = await startTestMcp();
  const org = await mcp.organization();
  agentKey = (await org.agent("cache-agent")).key;
  const other = await mcp.organization();
  readOnlyToken = await mcp.personToken(other.tenant, other.owner.sub, "openid taskflow:read");
  const created = await resultOf(agentKey, {
    id: 1,
    method: "tools/call",
    params: { name: "taskflow_add_task", arguments: { projectId: org.project.id, title: "Cached nowhere" } },
  });
  taskUri = `taskflow://tasks/${(created.structuredContent as { id: string }).id}`;
}, 60_000);
afterAll(async () => mcp?.close());

describe("public cache hints", () => {
  it.each(["server/discover", "tools/list", "prompts/list", "resources/list", "resources/templates/list"])(
    "%s is public and the same for every caller",
    async (method) => {
      const [agent, person] = await Promise.all([
        resultOf(agentKey, { id: 1, method }),
        resultOf(readOnlyToken, { id: 1, method }),
      ]);
      expect(agent.cacheScope).toBe("public");
      expect(person).toEqual(agent);
    },
  );
});

describe("private cache hints", () => {
  it("marks a task read private and stale at once, and another organization cannot read it at all", async () => {
    const read: JsonRpcMessage = { id: 2, method: "resources/read", params: { uri: taskUri } };
    const mine = await resultOf(agentKey, read);
    expect(mine.cacheScope).toBe("private");
    expect(mine.ttlMs).toBe(0);
    const theirs = await postInEra(mcp.mcpUrl, modern, read, { credential: readOnlyToken });
    const body = (await theirs.json()) as { error?: { code: number }; result?: unknown };
    expect(body.result).toBeUndefined();
    expect(body.error?.code).toBe(-32602);
  });
});
