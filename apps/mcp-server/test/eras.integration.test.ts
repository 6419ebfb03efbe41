import {
  CLIENT_CAPABILITIES_META_KEY,
  CLIENT_INFO_META_KEY,
  PROTOCOL_VERSION_META_KEY,
} from "@modelcontextprotocol/client";
import type { Task } from "@taskflow/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listTtlMs } from "../src/cache-hints.ts";
import { startTestMcp, type TestMcp } from "./support/test-mcp.ts";

/**
 * The two protocol eras on one `/mcp`, on the wire: what a 2026-07-28 request must carry and what its answer
 * says (resultType, cache hints), that a header disagreeing with the body is refused before anything runs,
 * and that a client of 2025-06-18 (before 2025-11-25) still gets its own era.
 */
let mcp: TestMcp;
beforeAll(async () => {
  mcp = await startTestMcp();
});
afterAll(() => mcp.close());

const modern = "2026-07-28";
const envelope = {
  [PROTOCOL_VERSION_META_KEY]: modern,
  [CLIENT_INFO_META_KEY]: { name: "raw-2026-client", version: "1.0.0" },
  [CLIENT_CAPABILITIES_META_KEY]: {},
};

interface Answer {
  status: number;
  body: {
    result?: Record<string, unknown> & { resultType?: string; ttlMs?: number; cacheScope?: string };
    error?: { code: number; message: string };
  };
}

let ids = 0;
/** One 2026-07-28 request as a client sends it: the envelope in `_meta`, the routing headers beside it. */
async function modernRequest(
  credential: string,
  method: string,
  params: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<Answer> {
  const name =
    typeof params.name === "string" ? params.name : typeof params.uri === "string" ? params.uri : null;
  const response = await fetch(mcp.mcpUrl, {
    method: "POST",
    headers: {
      authorization: `Bearer ${credential}`,
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      "mcp-protocol-version": modern,
      "mcp-method": method,
      ...(name ? { "mcp-name": name } : {}),
      ...headers,
    },
    body: JSON.stringify({ jsonrpc: "2.0", id: ++ids, method, params: { ...params, _meta: envelope } }),
  });
  return { status: response.status, body: (await response.json()) as Answer["body"] };
}

/** A 2025-era request: after `initialize`, only the negotiated version's header. */
async function legacyRequest(credential: string, version: string, method: string, params = {}) {
  const response = await fetch(mcp.mcpUrl, {
    method: "POST",
    headers: {
      authorization: `Bearer ${credential}`,
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      ...(method === "initialize" ? {} : { "mcp-protocol-version": version }),
    },
    body: JSON.stringify({ jsonrpc: "2.0", id: ++ids, method, params }),
  });
  return { status: response.status, body: (await response.json()) as Answer["body"] };
}

describe("the 2026-07-28 era on the wire", () => {
  it("answers server/discover, and every result says its resultType", async () => {
    const org = await mcp.organization();
    const key = (await org.agent("discoverer")).key;
    const discovered = await modernRequest(key, "server/discover");
    expect(discovered.status).toBe(200);
    const result = discovered.body.result as Record<string, unknown> & {
      supportedVersions: string[];
      capabilities: Record<string, unknown>;
    };
    expect(result.supportedVersions).toContain(modern);
    expect(result.resultType).toBe("complete");
    // Tools, resources and a prompt; none of the features 2026-07-28 deprecates (logging here; roots and
    // sampling are the client's, and this server never asks for them).
    expect(Object.keys(result.capabilities).sort()).toEqual(["prompts", "resources", "tools"]);
    const setLevel = await modernRequest(key, "logging/setLevel", { level: "info" });
    expect(setLevel.body.error?.code).toBe(-32601);

    const call = await modernRequest(key, "tools/call", { name: "taskflow_list_projects", arguments: {} });
    expect(call.body.result?.resultType).toBe("complete");
    const projects = call.body.result?.structuredContent as { projects: { id: string }[] } | undefined;
    expect(projects?.projects.map((p) => p.id)).toEqual([org.project.id]);
  });

  it("gives lists the same to every grant the public cache hint, and a task read a private one", async () => {
    const org = await mcp.organization();
    const key = (await org.agent("cacher")).key;
    const readOnly = await mcp.personToken(org.tenant, org.owner.sub, "openid taskflow:read");
    const readWrite = await mcp.personToken(org.tenant, org.owner.sub);
    // What a list says must not depend on who asks, or sharing it (public) would leak or mislead.
    for (const method of ["server/discover", "tools/list", "prompts/list", "resources/templates/list"]) {
      const answers = await Promise.all([key, readOnly, readWrite].map((c) => modernRequest(c, method)));
      for (const answer of answers) {
        expect(answer.status, method).toBe(200);
        expect(answer.body.result, method).toMatchObject({ ttlMs: listTtlMs, cacheScope: "public" });
      }
      const strip = ({ result }: Answer["body"]) => {
        const { _meta: _ignored, ...rest } = result ?? {};
        return rest;
      };
      expect(strip(answers[1]?.body ?? {}), method).toEqual(strip(answers[0]?.body ?? {}));
      expect(strip(answers[2]?.body ?? {}), method).toEqual(strip(answers[0]?.body ?? {}));
    }
    const task = (
      await mcp.api.call<Task>("POST", `/api/projects/${org.project.id}/tasks`, {
        token: org.owner.token,
        body: { title: "Read me" },
      })
    ).body;
    const read = await modernRequest(readOnly, "resources/read", { uri: `taskflow://tasks/${task.id}` });
    expect(read.body.result).toMatchObject({ ttlMs: 0, cacheScope: "private", resultType: "complete" });
  });

  it("refuses a request whose Mcp-Method or Mcp-Name disagrees with its body, and runs nothing", async () => {
    const org = await mcp.organization();
    const key = (await org.agent("router")).key;
    const addTask = {
      name: "taskflow_add_task",
      arguments: { projectId: org.project.id, title: "Must not exist" },
    };
    const wrongMethod = await modernRequest(key, "tools/call", addTask, { "mcp-method": "tools/list" });
    expect(wrongMethod.status).toBe(400);
    expect(wrongMethod.body.error?.code).toBe(-32020);
    const wrongName = await modernRequest(key, "tools/call", addTask, {
      "mcp-name": "taskflow_list_projects",
    });
    expect(wrongName.status).toBe(400);
    expect(wrongName.body.error?.code).toBe(-32020);
    const missingMethod = await fetch(mcp.mcpUrl, {
      method: "POST",
      headers: {
        authorization: `Bearer ${key}`,
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        "mcp-protocol-version": modern,
      },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list", params: { _meta: envelope } }),
    });
    expect(missingMethod.status).toBe(400);
    const tasks = await mcp.api.call<{ items: Task[] }>("GET", `/api/projects/${org.project.id}/tasks`, {
      token: org.owner.token,
    });
    expect(tasks.body.items.map((t) => t.title)).not.toContain("Must not exist");
  });

  it("asks a read-only token for the write scope (403 insufficient_scope) as in the 2025 era", async () => {
    const org = await mcp.organization();
    const readOnly = await mcp.personToken(org.tenant, org.owner.sub, "openid taskflow:read");
    const refused = await fetch(mcp.mcpUrl, {
      method: "POST",
      headers: {
        authorization: `Bearer ${readOnly}`,
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        "mcp-protocol-version": modern,
        "mcp-method": "tools/call",
        "mcp-name": "taskflow_add_task",
      },
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 1,
        method: "tools/call",
        params: {
          name: "taskflow_add_task",
          arguments: { projectId: org.project.id, title: "x" },
          _meta: envelope,
        },
      }),
    });
    expect(refused.status).toBe(403);
    expect(refused.headers.get("www-authenticate")).toMatch(/error="insufficient_scope"/);
  });
});

describe("a 2025-06-18 client", () => {
  it("still initializes in its own version and calls tools with its header", async () => {
    const org = await mcp.organization();
    const key = (await org.agent("old-timer")).key;
    const initialized = await legacyRequest(key, "2025-06-18", "initialize", {
      protocolVersion: "2025-06-18",
      capabilities: {},
      clientInfo: { name: "client-of-2025-06-18", version: "1.0.0" },
    });
    expect(initialized.status).toBe(200);
    expect(initialized.body.result?.protocolVersion).toBe("2025-06-18");
    const listed = await legacyRequest(key, "2025-06-18", "tools/list");
    const tools = listed.body.result?.tools as { name: string }[] | undefined;
    expect(tools?.map((t) => t.name)).toContain("taskflow_ask_and_wait");
    // Its era has no cache hints and no resultType: the 2026 vocabulary never reaches it.
    expect(listed.body.result).not.toHaveProperty("ttlMs");
    const called = await legacyRequest(key, "2025-06-18", "tools/call", {
      name: "taskflow_add_task",
      arguments: { projectId: org.project.id, title: "From 2025-06-18" },
    });
    expect(called.body.result).not.toHaveProperty("resultType");
    const added = called.body.result?.structuredContent as Task | undefined;
    expect(added?.title).toBe("From 2025-06-18");
  });
});
