import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eraHeaders, eraMessage, type JsonRpcMessage } from "./support/era-requests.ts";
import { startTestMcp, type TestMcp } from "./support/test-mcp.ts";

/**
 * JSON-RPC batches: refused under the protocol versions that removed them (2025-06-18 and later), and
 * where still accepted (2025-03-26, the version a request without `MCP-Protocol-Version` is taken to
 * speak) every message counts against the caller's rate limit. Real HTTP, as a client would POST it.
 * 2026-07-28 has no batches either: its requests (with their `_meta` envelope) are refused in a batch whatever
 * the version header says, or when it is left out.
 */

const perCaller = 10;
let mcp: TestMcp;
beforeAll(async () => {
  mcp = await startTestMcp({
    rateLimits: { windowSeconds: 3600, perAddress: 0, perCaller, trustedProxies: 0 },
  });
});
afterAll(() => mcp.close());

const addTaskCall = (projectId: string, id: number): JsonRpcMessage => ({
  id,
  method: "tools/call",
  params: { name: "taskflow_add_task", arguments: { projectId, title: `Batched ${id}` } },
});
const addTask = (projectId: string, id: number) => eraMessage("2025-11-25", addTaskCall(projectId, id));
const addModernTask = (projectId: string, id: number) => eraMessage("2026-07-28", addTaskCall(projectId, id));

async function post(key: string, body: unknown, version?: string, headers: Record<string, string> = {}) {
  const response = await fetch(mcp.mcpUrl, {
    method: "POST",
    headers: {
      authorization: `Bearer ${key}`,
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      ...(version ? { "mcp-protocol-version": version } : {}),
      ...headers,
    },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as unknown };
}

/** A fresh organization and agent (so a fresh rate-limit bucket) and how many tasks its project holds. */
async function agentAtWork(handle: string) {
  const org = await mcp.organization();
  const agent = await org.agent(handle);
  const taskCount = async () =>
    (
      await mcp.api.call<{ items: unknown[] }>("GET", `/api/projects/${org.project.id}/tasks?limit=100`, {
        token: org.owner.token,
      })
    ).body.items.length;
  return { projectId: org.project.id, key: agent.key, taskCount };
}

describe("JSON-RPC batches on /mcp", () => {
  it.each(["2025-06-18", "2025-11-25"])(
    "are refused under %s with -32600, and nothing runs",
    async (version) => {
      const { projectId, key, taskCount } = await agentAtWork(`@batch-${version}`);
      const batch = [addTask(projectId, 1), addTask(projectId, 2), addTask(projectId, 3)];
      const refused = await post(key, batch, version);
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({ jsonrpc: "2.0", id: null, error: { code: -32600 } });
      expect(JSON.stringify(refused.body)).toContain(version);
      expect(await taskCount()).toBe(0);
      // One message per request is how these versions work.
      const single = await post(key, addTask(projectId, 4), version);
      expect(single.status).toBe(200);
      expect(await taskCount()).toBe(1);
    },
  );

  it.each([
    ["2026-07-28", "2026-07-28"],
    ["no version header", undefined],
  ])("are refused for 2026-07-28 requests (%s) with -32600, and nothing runs", async (label, version) => {
    const { projectId, key, taskCount } = await agentAtWork(`@batch-modern-${label.replaceAll(" ", "-")}`);
    const batch = [addModernTask(projectId, 1), addModernTask(projectId, 2)];
    const refused = await post(key, batch, version);
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ jsonrpc: "2.0", id: null, error: { code: -32600 } });
    expect(await taskCount()).toBe(0);
    // One 2026-07-28 request per POST, with its routing headers, is served.
    const single = await post(
      key,
      addModernTask(projectId, 3),
      undefined,
      eraHeaders("2026-07-28", addTaskCall(projectId, 3)),
    );
    expect(single.status).toBe(200);
    expect(await taskCount()).toBe(1);
  });

  it("are accepted under 2025-03-26, said or assumed, each message counted against the rate limit", async () => {
    const { projectId, key, taskCount } = await agentAtWork("@batch-old");
    const said = await post(key, [addTask(projectId, 1), addTask(projectId, 2)], "2025-03-26");
    expect(said.status).toBe(200);
    expect(said.body).toHaveLength(2);
    const assumed = await post(key, [addTask(projectId, 3), addTask(projectId, 4), addTask(projectId, 5)]);
    expect(assumed.status).toBe(200);
    expect(assumed.body).toHaveLength(3);
    expect(await taskCount()).toBe(5);
    // 5 of 10 used: a batch of 6 is over the limit and runs nothing; 5 single calls still fit.
    const over = await post(
      key,
      [1, 2, 3, 4, 5, 6].map((n) => addTask(projectId, 10 + n)),
    );
    expect(over.status).toBe(429);
    expect(await taskCount()).toBe(5);
  });

  it("cannot carry 100 calls for the price of one (the reported break-in)", async () => {
    const { projectId, key, taskCount } = await agentAtWork("@batch-hundred");
    const hundred = Array.from({ length: 100 }, (_, n) => addTask(projectId, n + 1));
    // Under the current protocols: refused outright.
    expect((await post(key, hundred, "2025-11-25")).status).toBe(400);
    const modernHundred = Array.from({ length: 100 }, (_, n) => addModernTask(projectId, n + 1));
    expect((await post(key, modernHundred, "2026-07-28")).status).toBe(400);
    expect((await post(key, modernHundred)).status).toBe(400);
    // Under 2025-03-26: counted as 100 calls, so over a limit of 10.
    expect((await post(key, hundred, "2025-03-26")).status).toBe(429);
    expect(await taskCount()).toBe(0);
  });
});
