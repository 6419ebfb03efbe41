import { request as httpRequest } from "node:http";
import { extractWWWAuthenticateParams } from "@modelcontextprotocol/sdk/client/auth.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type JsonRpcMessage, postInEra } from "./support/era-requests.ts";
import { eras, mcpResource, startTestMcp, type TestMcp } from "./support/test-mcp.ts";

let mcp: TestMcp;
beforeAll(async () => {
  mcp = await startTestMcp();
});
afterAll(() => mcp.close());

const initialize = {
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "probe", version: "1" } },
};

/** A POST with a Host header of our choosing (fetch will not send a forged one). */
function rawPost(authorization: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify(initialize);
    const request = httpRequest(
      {
        host: "127.0.0.1",
        port: mcp.port,
        path: "/mcp",
        method: "POST",
        headers: {
          host,
          authorization,
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
          "content-length": Buffer.byteLength(body),
        },
      },
      (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      },
    );
    request.on("error", reject);
    request.end(body);
  });
}

async function post(headers: Record<string, string>, body: unknown = initialize) {
  return fetch(mcp.mcpUrl, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      ...headers,
    },
    body: JSON.stringify(body),
  });
}

describe("MCP authorization", () => {
  it("publishes metadata naming the SSO as authorization server, at both well-known paths", async () => {
    for (const path of [
      "/.well-known/oauth-protected-resource",
      "/.well-known/oauth-protected-resource/mcp",
    ]) {
      const metadata = (await (await fetch(`http://127.0.0.1:${mcp.port}${path}`)).json()) as Record<
        string,
        unknown
      >;
      expect(metadata.resource).toBe(mcpResource);
      expect(metadata.authorization_servers).toEqual([mcp.api.issuer.issuer]);
    }
  });

  it("refuses a forbidden Host or Origin (DNS rebinding)", async () => {
    const org = await mcp.organization();
    const { key } = await org.agent("rebind");
    const viaOtherHost = await rawPost(`Bearer ${key}`, "rebinding.attacker.example:80");
    expect(viaOtherHost).toBe(403);
    expect(await rawPost(`Bearer ${key}`, `127.0.0.1:${mcp.port}`)).toBe(200);
    const badOrigin = await post({ authorization: `Bearer ${key}`, origin: "http://evil.example" });
    expect(badOrigin.status).toBe(403);
    const goodOrigin = await post({ authorization: `Bearer ${key}`, origin: "http://dashboard.test" });
    expect(goodOrigin.status).toBe(200);
  });

  it("answers a browser's CORS preflight for an allowed origin only, and lets it read the 401 challenge", async () => {
    const preflight = (origin: string) =>
      fetch(mcp.mcpUrl, {
        method: "OPTIONS",
        headers: {
          origin,
          "access-control-request-method": "POST",
          "access-control-request-headers": "authorization, content-type, mcp-protocol-version",
        },
      });
    const allowed = await preflight("http://dashboard.test");
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get("access-control-allow-origin")).toBe("http://dashboard.test");
    expect(allowed.headers.get("access-control-allow-methods")).toContain("POST");
    const allowedHeaders = (allowed.headers.get("access-control-allow-headers") ?? "").toLowerCase();
    for (const header of ["authorization", "content-type", "mcp-protocol-version"]) {
      expect(allowedHeaders).toContain(header);
    }

    const other = await preflight("http://evil.example");
    expect(other.status).toBe(403);
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
    expect(other.headers.get("access-control-allow-headers")).toBeNull();

    // The actual request: the browser may read the answer and the WWW-Authenticate header it needs
    // to discover the authorization server.
    const anonymous = await post({ origin: "http://dashboard.test" });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("access-control-allow-origin")).toBe("http://dashboard.test");
    expect(anonymous.headers.get("access-control-expose-headers")?.toLowerCase()).toContain(
      "www-authenticate",
    );
  });

  it("refuses an oversized body", async () => {
    const org = await mcp.organization();
    const { key } = await org.agent("big");
    const response = await fetch(mcp.mcpUrl, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
      body: JSON.stringify({ ...initialize, padding: "x".repeat(1_100_000) }),
    });
    expect(response.status).toBe(413);
  });
});

/**
 * Who may speak to the server, and with which scopes: the same refusals (401 with its challenge, 403
 * insufficient_scope naming the scope, tool results for agent keys) in both protocol eras. A hello is the
 * era's first request: `initialize` in 2025-11-25, `server/discover` in 2026-07-28.
 */
describe.each(eras)("MCP authorization (%s)", (era) => {
  const hello: JsonRpcMessage =
    era === "2026-07-28"
      ? { id: 1, method: "server/discover" }
      : { id: 1, method: "initialize", params: initialize.params };
  const post = (headers: Record<string, string>, message: JsonRpcMessage = hello) =>
    postInEra(mcp.mcpUrl, era, message, { headers });

  it("answers an anonymous request 401 pointing at the protected-resource metadata", async () => {
    const response = await post({});
    expect(response.status).toBe(401);
    const challenge = response.headers.get("www-authenticate") ?? "";
    expect(challenge).toMatch(/^Bearer /);
    expect(challenge).toContain(
      `resource_metadata="http://taskflow-mcp.test/.well-known/oauth-protected-resource/mcp"`,
    );
    expect(challenge).toContain('scope="taskflow:read taskflow:write"');
  });

  it("accepts a person's token for this server and refuses one for the API's audience", async () => {
    const tenant = mcp.api.newTenant();
    const forMcp = await mcp.personToken(tenant, "person-1");
    expect((await post({ authorization: `Bearer ${forMcp}` })).status).toBe(200);
    const forApi = await mcp.api.issuer.mint({ orgId: tenant, sub: "person-1", audience: mcp.restAudience });
    const refused = await post({ authorization: `Bearer ${forApi}` });
    expect(refused.status).toBe(401);
    expect(refused.headers.get("www-authenticate")).toContain('error="invalid_token"');
  });

  it("refuses expired and forged tokens", async () => {
    const tenant = mcp.api.newTenant();
    const expired = await mcp.api.issuer.mint({
      orgId: tenant,
      audience: mcpResource,
      expiresIn: Math.floor(Date.now() / 1000) - 60,
    });
    const forged = await mcp.api.issuer.mint({ orgId: tenant, audience: mcpResource, foreignKey: true });
    for (const token of [expired, forged])
      expect((await post({ authorization: `Bearer ${token}` })).status).toBe(401);
  });

  it("asks no scope merely to speak to it: a token without TaskFlow scopes says hello (initialize, server/discover), and each read or tool call is 403 for the scope it needs", async () => {
    const org = await mcp.organization();
    const token = await mcp.personToken(org.tenant, org.owner.sub, "openid profile");
    const headers = { authorization: `Bearer ${token}` };
    expect((await post(headers)).status).toBe(200);
    expect((await post(headers, { id: 2, method: "tools/list" })).status).toBe(200);
    const refusals = [
      { method: "tools/call", params: { name: "taskflow_list_projects", arguments: {} } },
      { method: "resources/read", params: { uri: "taskflow://tasks/00000000-0000-4000-8000-000000000000" } },
    ];
    for (const message of refusals) {
      const response = await post(headers, { id: 3, ...message });
      expect(response.status, message.method).toBe(403);
      expect(response.headers.get("www-authenticate")).toContain('error="insufficient_scope"');
      expect(await response.json()).toMatchObject({ error: "insufficient_scope", scope: "taskflow:read" });
    }
  });

  it("serves a write-only token's write tools, as the REST API serves its write routes (one scope table)", async () => {
    const org = await mcp.organization();
    const token = await mcp.personToken(org.tenant, org.owner.sub, "openid taskflow:write");
    const response = await post(
      { authorization: `Bearer ${token}` },
      {
        id: 4,
        method: "tools/call",
        params: { name: "taskflow_add_task", arguments: { projectId: org.project.id, title: "write only" } },
      },
    );
    expect(response.status).toBe(200);
    expect(((await response.json()) as { result: { isError?: boolean } }).result.isError).toBeFalsy();
    const viaRest = await mcp.api.call("POST", `/api/projects/${org.project.id}/tasks`, {
      token: await mcp.api.issuer.mint({
        orgId: org.tenant,
        sub: org.owner.sub,
        extra: { scope: "openid taskflow:write" },
      }),
      body: { title: "write only, by REST" },
    });
    expect(viaRest.status).toBe(201);
  });

  it("answers a write tool called with a read-only token 403 insufficient_scope, before any tool runs", async () => {
    const org = await mcp.organization();
    const token = await mcp.personToken(org.tenant, org.owner.sub, "openid taskflow:read");
    const person = await mcp.connect(token, era);
    const projects = await person.call<{ projects: unknown[] }>("taskflow_list_projects");
    expect(projects.isError).toBe(false);
    // The SDK client surfaces the HTTP refusal as an error, not as a tool result.
    await expect(
      person.client.callTool({
        name: "taskflow_add_task",
        arguments: { projectId: org.project.id, title: "nope" },
      }),
    ).rejects.toMatchObject(
      // The v2 client reads the 403's challenge (to step up); the v1 client reports the status.
      era === "2026-07-28"
        ? { name: "InsufficientScopeError", requiredScope: "taskflow:read taskflow:write" }
        : { code: 403 },
    );
    await person.close();

    const call = (name: string, args: Record<string, unknown>, credential = token) =>
      post(
        { authorization: `Bearer ${credential}` },
        { id: 2, method: "tools/call", params: { name, arguments: args } },
      );
    const refused = await call("taskflow_add_task", { projectId: org.project.id, title: "nope" });
    expect(refused.status).toBe(403);
    // The challenge as the SDK's client reads it to step up: the error, the scopes to ask for, where
    // the metadata is.
    expect(extractWWWAuthenticateParams(refused)).toEqual({
      error: "insufficient_scope",
      scope: "taskflow:read taskflow:write",
      resourceMetadataUrl: new URL("http://taskflow-mcp.test/.well-known/oauth-protected-resource/mcp"),
    });
    expect(await refused.json()).toMatchObject({ error: "insufficient_scope", scope: "taskflow:write" });
    // Nothing was created.
    const tasks = await mcp.api.call<{ items: unknown[] }>("GET", `/api/projects/${org.project.id}/tasks`, {
      token: org.owner.token,
    });
    expect(tasks.body.items).toEqual([]);

    // A read tool with the same token is served; so is the write tool for a token with both scopes.
    expect((await call("taskflow_list_tasks", { projectId: org.project.id })).status).toBe(200);
    const full = await mcp.personToken(org.tenant, org.owner.sub);
    const created = await call("taskflow_add_task", { projectId: org.project.id, title: "yes" }, full);
    expect(created.status).toBe(200);
    expect(((await created.json()) as { result: { isError?: boolean } }).result.isError).toBeFalsy();
  });

  it("leaves an agent key's scopes to core: a write tool is a tool result, never an HTTP 403", async () => {
    const org = await mcp.organization();
    const { key } = await org.agent("unscoped");
    const response = await post(
      { authorization: `Bearer ${key}` },
      {
        id: 3,
        method: "tools/call",
        params: { name: "taskflow_add_task", arguments: { projectId: org.project.id, title: "by key" } },
      },
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as { result: { isError?: boolean } };
    expect(body.result.isError).toBeFalsy();
  });

  it("refuses a revoked key, and a rotated-away key", async () => {
    const org = await mcp.organization();
    const agent = await org.agent("revoked");
    expect((await post({ authorization: `Bearer ${agent.key}` })).status).toBe(200);
    await mcp.api.call("DELETE", `/api/agents/${agent.id}/keys/${agent.keyId}`, { token: org.owner.token });
    expect((await post({ authorization: `Bearer ${agent.key}` })).status).toBe(401);
  });

  it("keeps a key of another tenant out of this tenant's tasks", async () => {
    const a = await mcp.organization();
    const b = await mcp.organization();
    const intruder = await mcp.connect((await b.agent("intruder")).key, era);
    const task = (
      await mcp.api.call<{ id: string }>("POST", `/api/projects/${a.project.id}/tasks`, {
        token: a.owner.token,
        body: { title: "A's secret" },
      })
    ).body;
    for (const [tool, args] of [
      ["taskflow_get_task", { taskId: task.id }],
      ["taskflow_list_tasks", { projectId: a.project.id }],
      ["taskflow_start_task", { taskId: task.id }],
      ["taskflow_delete_task", { taskId: task.id }],
    ] as const) {
      const result = await intruder.call(tool, args);
      expect(result.isError, tool).toBe(true);
      expect(result.text).toMatch(/not found/);
      expect(result.text).not.toContain("A's secret");
    }
    const still = await mcp.api.call<{ status: string }>("GET", `/api/tasks/${task.id}`, {
      token: a.owner.token,
    });
    expect(still.body.status).toBe("pending");
    await intruder.close();
  });
});
