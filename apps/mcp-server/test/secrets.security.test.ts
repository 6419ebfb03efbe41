import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { serve } from "@hono/node-server";
import { StreamableHTTPClientTransport as ModernHttpTransport } from "@modelcontextprotocol/client";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { createAccessTokenVerifier } from "@taskflow/resource-auth";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../api/src/logger.ts";
import { startTestApi, type TestApi } from "../../api/test/support/test-api.ts";
import { createMcpApp } from "../src/app.ts";
import { createLogger as createMcpLogger } from "../src/logger.ts";
import { postInEra } from "./support/era-requests.ts";
import { eras, modernClient } from "./support/test-mcp.ts";

/** Every line a logger writes, kept for searching. */
function logSink() {
  const lines: string[] = [];
  let partial = "";
  const stream = new Writable({
    write(chunk, _encoding, done) {
      partial += chunk.toString();
      const parts = partial.split("\n");
      partial = parts.pop() ?? "";
      lines.push(...parts.filter(Boolean));
      done();
    },
  });
  return { stream, lines: () => (partial ? [...lines, partial] : lines) };
}

const mcpResource = "http://taskflow-mcp.test/mcp";

// Runs the flows that handle secrets — people's tokens, agent keys registered, used, rotated and
// refused, webhooks with their signing secret delivering to a receiver, failed sign-ins, failing
// queries — with known values through the API and the MCP server, logging at trace level, and then
// searches every log line and every response body and header for them. The only places a secret may
// appear are the answers that hand it out once (agent registration and rotation, webhook creation
// and secret rotation).
describe("secrets never reach a log line or an error body", () => {
  let api: TestApi;
  const apiLog = logSink();
  const mcpLog = logSink();
  let mcpServer: ReturnType<typeof serve>;
  let mcpUrl = "";
  let receiver: Server;
  let receiverUrl = "";
  const received: string[] = [];
  /** Bodies and headers of every answer, except those that hand a secret out once. */
  const answers: string[] = [];
  const secrets = new Map<string, string>();

  async function call<T = unknown>(
    method: string,
    path: string,
    options: { token?: string; body?: unknown; rawBody?: string; handsOutSecret?: boolean } = {},
  ) {
    const res = await api.call<T>(method, path, options);
    if (!options.handsOutSecret) {
      answers.push(`${method} ${path} ${res.status} ${JSON.stringify(res.body)}`);
      answers.push(JSON.stringify([...res.headers.entries()]));
    }
    return res;
  }

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = "";
      req.on("data", (c) => {
        body += c;
      });
      req.on("end", () => {
        received.push(body);
        res.writeHead(500).end("no thanks");
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    api = await startTestApi(undefined, { logger: createLogger("trace", apiLog.stream) });
    const port = await new Promise<number>((resolve) => {
      const probe = serve({ fetch: () => new Response(null), port: 0, hostname: "127.0.0.1" }, (info) => {
        probe.close(() => resolve(info.port));
      });
    });
    const app = createMcpApp({
      config: {
        resourceUrl: mcpResource,
        allowedHosts: [`127.0.0.1:${port}`],
        allowedOrigins: [],
        sso: { issuer: api.issuer.issuer },
      },
      db: api.db,
      ping: api.database.ping,
      verifyAccessToken: createAccessTokenVerifier({
        issuer: api.issuer.issuer,
        jwksUrl: api.issuer.jwksUrl,
        audience: mcpResource,
      }),
      logger: createMcpLogger("trace", mcpLog.stream),
    });
    mcpServer = serve({ fetch: app.fetch, port, hostname: "127.0.0.1" });
    await new Promise<void>((resolve) => mcpServer.once("listening", () => resolve()));
    mcpUrl = `http://127.0.0.1:${port}/mcp`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => {
      mcpServer?.close(() => resolve());
      if (mcpServer && "closeAllConnections" in mcpServer) mcpServer.closeAllConnections();
    });
    await api?.close();
    await new Promise<void>((resolve) => receiver?.close(() => resolve()));
  });

  it("runs the flows, then finds no token, key or secret in any log line or answer", async () => {
    const tenant = api.newTenant();
    const owner = await api.signIn({ orgId: tenant, orgRole: "owner", email: "owner@secrets.test" });
    secrets.set("person's access token", owner.token);
    const project = await call<{ id: string }>("POST", "/api/projects", {
      token: owner.token,
      body: { name: "Secrets" },
    });
    expect(project.status).toBe(201);

    // An agent key: registered (shown once), used, rotated, the old one refused.
    const registered = await call<{ agent: { id: string }; apiKey: { key: string } }>("POST", "/api/agents", {
      token: owner.token,
      body: { handle: "keeper", name: "Keeper", agentType: "claude-code" },
      handsOutSecret: true,
    });
    expect(registered.status).toBe(201);
    const firstKey = registered.body.apiKey.key;
    secrets.set("first agent key", firstKey);
    // The secret is the last 43 characters (tf_<lookup>_<secret>); it may itself contain "_", so
    // it is not "what follows the last _" (that could be a fragment as short as the shown last 4).
    secrets.set("first agent key's secret part", firstKey.slice(-43));
    await call("POST", `/api/projects/${project.body.id}/members`, {
      token: owner.token,
      body: { workerId: registered.body.agent.id, role: "member" },
    });
    expect((await call("GET", "/api/workers/me", { token: firstKey })).status).toBe(200);
    const task = await call<{ id: string }>("POST", `/api/projects/${project.body.id}/tasks`, {
      token: firstKey,
      body: { title: "Keep it secret" },
    });
    expect(task.status).toBe(201);
    const rotated = await call<{ key: string }>("POST", `/api/agents/${registered.body.agent.id}/keys`, {
      token: owner.token,
      body: {},
      handsOutSecret: true,
    });
    expect(rotated.status).toBe(201);
    const secondKey = rotated.body.key;
    secrets.set("rotated agent key", secondKey);
    expect((await call("GET", "/api/workers/me", { token: firstKey })).status).toBe(401);
    expect((await call("GET", "/api/workers/me", { token: secondKey })).status).toBe(200);
    // A key used outside its scope is refused and audited (403).
    expect((await call("DELETE", `/api/projects/${project.body.id}`, { token: secondKey })).status).toBe(403);

    // Failed authentication of every kind.
    const wrongSecret = `${secondKey.slice(0, -43)}${"A".repeat(43)}`;
    secrets.set("a guessed key", wrongSecret);
    const forged = await api.issuer.mint({ orgId: tenant, foreignKey: true });
    secrets.set("a forged token", forged);
    const expired = await api.issuer.mint({ orgId: tenant, expiresIn: -60 });
    secrets.set("an expired token", expired);
    for (const bad of [wrongSecret, forged, expired, "tf_garbage", "not-a-token"]) {
      expect((await call("GET", "/api/projects", { token: bad })).status).toBe(401);
    }
    // A key sent where a field is expected is refused without being echoed.
    const echoed = await call("POST", "/api/agents", {
      token: owner.token,
      body: { handle: secondKey, name: "x", agentType: "x", [secondKey]: secondKey },
    });
    expect(echoed.status).toBe(400);

    // A webhook: its secret is shown at creation and rotation only; deliveries are signed with it.
    const webhook = await call<{ id: string; secret: string }>(
      "POST",
      `/api/projects/${project.body.id}/webhooks`,
      { token: owner.token, body: { url: receiverUrl, events: ["*"] }, handsOutSecret: true },
    );
    expect(webhook.status).toBe(201);
    secrets.set("webhook secret", webhook.body.secret);
    const rotatedHook = await call<{ secret: string }>(
      "POST",
      `/api/projects/${project.body.id}/webhooks/${webhook.body.id}/rotate-secret`,
      { token: owner.token, handsOutSecret: true },
    );
    expect(rotatedHook.status).toBe(200);
    secrets.set("rotated webhook secret", rotatedHook.body.secret);
    await call("PATCH", `/api/tasks/${task.body.id}`, { token: secondKey, body: { title: "Changed" } });
    await expect.poll(() => received.length, { timeout: 10_000 }).toBeGreaterThan(0);
    await expect
      .poll(
        async () =>
          (
            await call<{ items: { attempts: number }[] }>(
              "GET",
              `/api/projects/${project.body.id}/webhooks/${webhook.body.id}/deliveries`,
              { token: owner.token },
            )
          ).body.items.some((d) => d.attempts > 0),
        { timeout: 10_000 },
      )
      .toBe(true);
    await call("GET", `/api/projects/${project.body.id}/webhooks/${webhook.body.id}`, { token: owner.token });
    await call("GET", `/api/projects/${project.body.id}/webhooks`, { token: owner.token });
    await call("GET", `/api/agents/${registered.body.agent.id}/keys`, { token: owner.token });
    await call("GET", `/api/projects/${project.body.id}/audit`, { token: owner.token });

    // Through the MCP server, in both protocol eras: a real client with the key, a person's token for it,
    // refused ones.
    for (const era of eras) {
      const requestInit = { headers: { authorization: `Bearer ${secondKey}` } };
      const client =
        era === "2026-07-28"
          ? modernClient("secrets-probe")
          : new Client({ name: "secrets-probe", version: "1" });
      if (client instanceof Client)
        await client.connect(new StreamableHTTPClientTransport(new URL(mcpUrl), { requestInit }));
      else await client.connect(new ModernHttpTransport(new URL(mcpUrl), { requestInit }));
      const listed = await client.callTool({
        name: "taskflow_list_tasks",
        arguments: { projectId: project.body.id },
      });
      answers.push(JSON.stringify(listed));
      const refusedTool = await client.callTool({
        name: "taskflow_get_task",
        arguments: { taskId: secondKey },
      });
      answers.push(JSON.stringify(refusedTool));
      await client.close();
    }
    const mcpToken = await api.issuer.mint({
      orgId: tenant,
      sub: owner.sub,
      orgRole: "owner",
      audience: mcpResource,
      extra: { scope: "openid taskflow:read taskflow:write" },
    });
    secrets.set("person's MCP token", mcpToken);
    for (const credential of [mcpToken, firstKey, wrongSecret, forged, owner.token]) {
      for (const era of eras) {
        const res = await postInEra(
          mcpUrl,
          era,
          { id: 1, method: "tools/call", params: { name: "taskflow_list_projects", arguments: {} } },
          { credential },
        );
        answers.push(`MCP ${res.status} ${await res.text()} ${JSON.stringify([...res.headers.entries()])}`);
      }
    }

    // A query that fails with a secret among its values, logged as the error handler logs errors.
    const failing = await api.db
      .execute(sql`select ${webhook.body.secret}::int`)
      .then(() => undefined)
      .catch((error: unknown) => error);
    expect(failing).toBeInstanceOf(Error);
    expect(String((failing as Error).message)).toContain(webhook.body.secret); // drizzle puts it there
    createLogger("trace", apiLog.stream).error({ err: failing }, "unhandled error");
    createMcpLogger("trace", mcpLog.stream).error({ err: failing }, "unhandled error");
    // Give the loggers a moment to flush, then search.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const logs = [...apiLog.lines(), ...mcpLog.lines()];
    expect(logs.length).toBeGreaterThan(20);
    expect(logs.some((l) => l.includes('"msg":"request"'))).toBe(true);
    expect(logs.some((l) => l.includes("params: [redacted]"))).toBe(true);
    expect(answers.length).toBeGreaterThan(40);
    expect(secrets.size).toBeGreaterThanOrEqual(10);
    for (const [what, secret] of secrets) {
      const inLogs = logs.filter((l) => l.includes(secret));
      expect(inLogs, `${what} in a log line`).toEqual([]);
      const inAnswers = answers.filter((a) => a.includes(secret));
      expect(inAnswers, `${what} in an answer`).toEqual([]);
    }
    // Deliveries carry a signature made with the secret, never the secret itself.
    for (const body of received) {
      for (const secret of [webhook.body.secret, rotatedHook.body.secret]) expect(body).not.toContain(secret);
    }
  });
});
