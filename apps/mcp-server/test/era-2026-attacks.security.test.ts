import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { eraMessage, type JsonRpcMessage, modernEnvelope, postInEra } from "./support/era-requests.ts";
import { startTestMcp, type TestMcp } from "./support/test-mcp.ts";

/**
 * An outsider's attacks on the 2026-07-28 era of `/mcp` (stateless, `_meta` envelope, routing headers), written
 * from src/ and the specification: none may run a tool the request does not plainly ask for, reach another
 * tenant, or leave the refusal unexplained. Each attack's "it ran" check is a real task that must survive.
 */
let mcp: TestMcp;
let key: string;
let otherKey: string;
let taskId: string;
let projectId: string;

const modern = "2026-07-28" as const;
const legacy = "2025-11-25" as const;

const deleteTask = (id: string): JsonRpcMessage => ({
  id: 1,
  method: "tools/call",
  params: { name: "taskflow_delete_task", arguments: { taskId: id } },
});
const listProjects: JsonRpcMessage = {
  id: 2,
  method: "tools/call",
  params: { name: "taskflow_list_projects", arguments: {} },
};

async function taskStillThere(): Promise<boolean> {
  const answer = await postInEra(
    mcp.mcpUrl,
    modern,
    { id: 9, method: "tools/call", params: { name: "taskflow_get_task", arguments: { taskId } } },
    { credential: key },
  );
  const body = (await answer.json()) as { result?: { isError?: boolean } };
  return body.result?.isError !== true;
}

beforeAll(async () => {
  mcp = await startTestMcp();
  const org = await mcp.organization();
  projectId = org.project.id;
  key = (await org.agent("attacked-agent")).key;
  otherKey = (await (await mcp.organization()).agent("outsider-agent")).key;
}, 60_000);
afterAll(async () => mcp?.close());
// A fresh task for every attack: one that got through must not hide behind an earlier one.
beforeEach(async () => {
  const created = await postInEra(
    mcp.mcpUrl,
    modern,
    {
      id: 3,
      method: "tools/call",
      params: { name: "taskflow_add_task", arguments: { projectId, title: "Must survive every attack" } },
    },
    { credential: key },
  );
  const body = (await created.json()) as { result: { structuredContent: { id: string } } };
  taskId = body.result.structuredContent.id;
});

async function jsonRpcError(response: Response) {
  const body = (await response.json()) as { error?: { code: number; message: string } };
  return body.error;
}

describe("forged _meta envelopes", () => {
  it("refuses an envelope that lacks the client capabilities, naming the key", async () => {
    const { "io.modelcontextprotocol/clientCapabilities": _dropped, ...partial } = modernEnvelope;
    const body = {
      ...eraMessage(modern, deleteTask(taskId)),
      params: { name: "taskflow_delete_task", arguments: { taskId }, _meta: partial },
    };
    const answer = await postInEra(mcp.mcpUrl, modern, deleteTask(taskId), { credential: key, body });
    expect(answer.status).toBe(400);
    const error = await jsonRpcError(answer);
    expect(error?.code).toBe(-32602);
    expect(error?.message).toContain("io.modelcontextprotocol/clientCapabilities");
    expect(await taskStillThere()).toBe(true);
  });

  it.each([
    ["header 2025-11-25, envelope 2026-07-28", legacy, "2026-07-28"],
    ["header 2026-07-28, envelope 2025-11-25", modern, "2025-11-25"],
  ])(
    "refuses a protocol version that differs between header and envelope (%s)",
    async (_label, header, claimed) => {
      const message = {
        ...deleteTask(taskId),
        params: {
          ...deleteTask(taskId).params,
          _meta: { "io.modelcontextprotocol/protocolVersion": claimed },
        },
      };
      const answer = await postInEra(mcp.mcpUrl, modern, message, {
        credential: key,
        headers: { "mcp-protocol-version": header },
      });
      expect(answer.status).toBe(400);
      expect((await jsonRpcError(answer))?.code).toBe(-32020);
      expect(await taskStillThere()).toBe(true);
    },
  );

  it("refuses a downgrade that names an old version inside the envelope, header agreeing", async () => {
    const message = {
      ...deleteTask(taskId),
      params: { ...deleteTask(taskId).params, _meta: { "io.modelcontextprotocol/protocolVersion": legacy } },
    };
    const answer = await postInEra(mcp.mcpUrl, modern, message, {
      credential: key,
      headers: { "mcp-protocol-version": legacy },
    });
    expect(answer.status).toBe(400);
    const error = (await answer.json()) as { error: { code: number; data: { supported: string[] } } };
    expect(error.error.code).toBe(-32022);
    expect(error.error.data.supported).toEqual(["2026-07-28"]);
    expect(await taskStillThere()).toBe(true);
  });
});

describe("routing headers that disagree with the body", () => {
  it.each([
    ["Mcp-Name names a harmless tool", { "mcp-name": "taskflow_list_projects" }],
    ["Mcp-Name in another case", { "mcp-name": "TASKFLOW_DELETE_TASK" }],
    ["Mcp-Name twice", { "mcp-name": "taskflow_delete_task, taskflow_delete_task" }],
    ["Mcp-Method names a list", { "mcp-method": "tools/list" }],
    ["Mcp-Method in another case", { "mcp-method": "Tools/Call" }],
    [
      "Mcp-Name a look-alike (Cyrillic а, Base64 sentinel)",
      { "mcp-name": `=?base64?${Buffer.from("taskflow_delete_tаsk").toString("base64")}?=` },
    ],
  ])("refuses a 2026-07-28 call when %s", async (_label, headers) => {
    const answer = await postInEra(mcp.mcpUrl, modern, deleteTask(taskId), { credential: key, headers });
    expect(answer.status).toBe(400);
    expect((await jsonRpcError(answer))?.code).toBe(-32020);
    expect(await taskStillThere()).toBe(true);
  });

  // A gateway may route or authorize on Mcp-Method / Mcp-Name without reading the body (that is what the headers
  // are for). Dropping the envelope must not make the server stop checking them: an envelope-less body is
  // served in the 2025 era, and before the fix it ran whatever the body said, whatever the headers claimed.
  it.each([
    ["Mcp-Method says tools/list", { "mcp-method": "tools/list" }],
    [
      "Mcp-Name says taskflow_list_projects",
      { "mcp-method": "tools/call", "mcp-name": "taskflow_list_projects" },
    ],
  ])("refuses an envelope-less (2025-era) body whose routing headers lie: %s", async (_label, headers) => {
    const answer = await postInEra(mcp.mcpUrl, legacy, deleteTask(taskId), { credential: key, headers });
    expect(answer.status).toBe(400);
    expect((await jsonRpcError(answer))?.code).toBe(-32020);
    expect(await taskStillThere()).toBe(true);
  });

  it("serves an envelope-less (2025-era) body whose routing headers agree with it", async () => {
    const answer = await postInEra(mcp.mcpUrl, legacy, listProjects, {
      credential: key,
      headers: { "mcp-method": "tools/call", "mcp-name": "taskflow_list_projects" },
    });
    expect(answer.status).toBe(200);
    const body = (await answer.json()) as { result: { structuredContent: { projects: { id: string }[] } } };
    expect(body.result.structuredContent.projects.map((p) => p.id)).toEqual([projectId]);
  });
});

describe("shapes the 2026-07-28 era does not have", () => {
  it("refuses a batch of 2026-07-28 requests, whatever the version header says, and runs none", async () => {
    const batch = [eraMessage(modern, deleteTask(taskId)), eraMessage(modern, listProjects)];
    // The era's own header, none at all, and the one version that had batches (a downgrade).
    const variants: Record<string, string>[] = [
      {},
      { "mcp-protocol-version": "" },
      { "mcp-protocol-version": "2025-03-26" },
    ];
    for (const headers of variants) {
      const answer = await postInEra(mcp.mcpUrl, modern, deleteTask(taskId), {
        credential: key,
        body: batch,
        headers,
      });
      expect(answer.status).toBe(400);
      expect((await jsonRpcError(answer))?.code).toBe(-32600);
    }
    expect(await taskStillThere()).toBe(true);
  });

  it("answers a 2026-07-28 request carrying an Mcp-Session-Id statelessly: no session is made or echoed", async () => {
    const answer = await postInEra(mcp.mcpUrl, modern, listProjects, {
      credential: key,
      headers: { "mcp-session-id": "attacker-chosen-session" },
    });
    expect(answer.status).toBe(200);
    expect(answer.headers.get("mcp-session-id")).toBeNull();
  });

  it.each([modern, legacy])("never runs a tools/call sent as a notification (no id) in %s", async (era) => {
    const { id: _none, ...notification } = deleteTask(taskId);
    const answer = await postInEra(mcp.mcpUrl, era, notification as JsonRpcMessage, {
      credential: key,
      body: eraMessage(era, notification as JsonRpcMessage),
    });
    expect(answer.status).toBe(202);
    expect(await answer.text()).toBe("");
    expect(await taskStillThere()).toBe(true);
  });

  it("keeps two callers' requests apart when they reuse the same id at the same time", async () => {
    const [mine, theirs] = await Promise.all([
      postInEra(mcp.mcpUrl, modern, { ...listProjects, id: 42 }, { credential: key }),
      postInEra(mcp.mcpUrl, modern, { ...listProjects, id: 42 }, { credential: otherKey }),
    ]);
    const projectsOf = async (answer: Response) =>
      (await answer.json()) as { id: number; result: { structuredContent: { projects: { id: string }[] } } };
    const [a, b] = [await projectsOf(mine), await projectsOf(theirs)];
    expect([a.id, b.id]).toEqual([42, 42]);
    expect(a.result.structuredContent.projects.map((p) => p.id)).toEqual([projectId]);
    expect(b.result.structuredContent.projects.map((p) => p.id)).not.toContain(projectId);
  });

  it("does not let a cancellation reusing a running request's id reach another caller", async () => {
    const cancel = { method: "notifications/cancelled", params: { requestId: 77 } };
    const [cancelled, listed] = await Promise.all([
      postInEra(mcp.mcpUrl, modern, cancel, { credential: otherKey }),
      postInEra(mcp.mcpUrl, modern, { ...listProjects, id: 77 }, { credential: key }),
    ]);
    expect(cancelled.status).toBe(202);
    expect(listed.status).toBe(200);
    const body = (await listed.json()) as { result: { structuredContent: { projects: unknown[] } } };
    expect(body.result.structuredContent.projects).toHaveLength(1);
  });
});

describe("oversized bodies", () => {
  it("refuses a body over the limit, however it is padded (a huge _meta), as problem+json", async () => {
    const huge = {
      ...listProjects,
      params: { ...listProjects.params, _meta: { padding: "x".repeat(1_100_000) } },
    };
    const answer = await postInEra(mcp.mcpUrl, modern, huge, { credential: key });
    expect(answer.status).toBe(413);
    expect(answer.headers.get("content-type")).toContain("application/problem+json");
    // The refused upload is not read: the connection must be closed, not handed back to the client's pool,
    // or the client's next request fails on it ("other side closed").
    expect(answer.headers.get("connection")).toBe("close");
    const next = await postInEra(mcp.mcpUrl, modern, listProjects, { credential: key });
    expect(next.status).toBe(200);
  });
});
