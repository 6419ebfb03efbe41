import type { IssuedPersonalToken, Project, WebhookWithSecret } from "@taskflow/contracts";
import { schema } from "@taskflow/core";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { oneTimeSecretAnswers } from "../src/idempotency/one-time-secrets.ts";
import { fixtures } from "./support/fixtures.ts";
import { startTestApi, type TestApi } from "./support/test-api.ts";

/**
 * Red-team finding 3: an `Idempotency-Key` replay skipped the route's authorization and handed out
 * one-time secrets. The admin's dashboard token registered an agent with a key; the admin's read-only
 * token sent the same request and got the same live agent key back (201, replayed), where without the
 * key it gets 403. And every answer, agent keys and tokens included, sat in plaintext in the table.
 */

let api: TestApi;
let fx: ReturnType<typeof fixtures>;
beforeAll(async () => {
  api = await startTestApi();
  fx = fixtures(api);
});
afterAll(() => api.close());

const readOnly = { extra: { scope: "openid profile email taskflow:read" } };

interface Problem {
  status: number;
  code: string;
  secretShownOnce?: boolean;
  firstAnswer?: { status: number; body: Record<string, unknown> };
}

/** Every remembered answer of a tenant, as stored. */
async function storedRows(tenantId: string): Promise<string> {
  const rows = await api.db
    .select()
    .from(schema.idempotencyKeys)
    .where(eq(schema.idempotencyKeys.tenantId, tenantId));
  expect(rows.length).toBeGreaterThan(0);
  return JSON.stringify(rows);
}

describe("an Idempotency-Key replay goes only to the credential the route authorized", () => {
  it("refuses the admin's read-only token the agent key its dashboard token was answered", async () => {
    const orgId = api.newTenant();
    const admin = await api.signIn({ orgId, orgRole: "owner" });
    const project = await fx.createProject(admin.token, "Agents");
    const headers = { "idempotency-key": "idem-1" };
    const body = { handle: "idembot", name: "Idem", agentType: "x", joinProjects: [project.id] };
    const first = await api.call<{ apiKey: { key: string } }>("POST", "/api/agents", {
      token: admin.token,
      body,
      headers,
    });
    expect(first.status).toBe(201);

    // The same person, the same key and body, a token that may only read.
    const readToken = await api.issuer.mint({ sub: admin.sub, orgId, orgRole: "owner", ...readOnly });
    const replay = await api.call<Problem>("POST", "/api/agents", { token: readToken, body, headers });
    expect(replay.status).toBe(403);
    expect(replay.headers.get("idempotent-replayed")).toBeNull();
    expect(JSON.stringify(replay.body)).not.toContain(first.body.apiKey.key);

    // Their read-only personal access token (the red team's exact request) is judged afresh too.
    const pat = await api.call<IssuedPersonalToken>("POST", "/api/personal-tokens", {
      token: admin.token,
      body: { name: "ro", scopes: ["taskflow:read"] },
    });
    const byPat = await api.call<Problem>("POST", "/api/agents", { token: pat.body.token, body, headers });
    expect(byPat.status).toBe(403);
    expect(JSON.stringify(byPat.body)).not.toContain(first.body.apiKey.key);

    // A demoted admin's fresh sign-in (organization role member) is judged afresh as well.
    const demoted = await api.issuer.mint({ sub: admin.sub, orgId, orgRole: "member" });
    const byMember = await api.call<Problem>("POST", "/api/agents", { token: demoted, body, headers });
    expect(byMember.status).toBe(403);
  });

  it("still replays to the same credential: a new token of the same sign-in (same scopes and role)", async () => {
    const orgId = api.newTenant();
    const ada = await api.signIn({ orgId, orgRole: "member" });
    const headers = { "idempotency-key": "refreshed" };
    const first = await api.call<Project>("POST", "/api/projects", {
      token: ada.token,
      body: { name: "Once" },
      headers,
    });
    const refreshed = await api.issuer.mint({ sub: ada.sub, orgId, orgRole: "member" });
    const retry = await api.call<Project>("POST", "/api/projects", {
      token: refreshed,
      body: { name: "Once" },
      headers,
    });
    expect(retry.status).toBe(201);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(retry.body.id).toBe(first.body.id);
  });
});

describe("an answer carrying a one-time secret is never kept", () => {
  it("keeps no agent key, personal token, webhook or agent endpoint secret; a replay says the secret was shown once", async () => {
    const orgId = api.newTenant();
    const admin = await api.signIn({ orgId, orgRole: "owner" });
    const project = await fx.createProject(admin.token, "Secrets");
    const send = <T>(method: string, path: string, key: string, body?: unknown) =>
      api.call<T>(method, path, { token: admin.token, headers: { "idempotency-key": key }, body });

    const agentBody = { handle: "secretbot", name: "S", agentType: "x" };
    const agent = await send<{ agent: { id: string }; apiKey: { key: string } }>(
      "POST",
      "/api/agents",
      "a1",
      agentBody,
    );
    expect(agent.status).toBe(201);
    const rotated = await send<{ key: string }>("POST", `/api/agents/${agent.body.agent.id}/keys`, "a2", {});
    expect(rotated.status).toBe(201);
    const token = await send<IssuedPersonalToken>("POST", "/api/personal-tokens", "p1", {
      name: "script",
      scopes: ["taskflow:read"],
    });
    expect(token.status).toBe(201);
    const hooks = `/api/projects/${project.id}/webhooks`;
    const hookBody = { url: "http://127.0.0.1:9/hook", events: ["*"] };
    const hook = await send<WebhookWithSecret>("POST", hooks, "w1", hookBody);
    expect(hook.status).toBe(201);
    const rotatePath = `${hooks}/${hook.body.id}/rotate-secret`;
    const hookRotated = await send<WebhookWithSecret>("POST", rotatePath, "w2");
    expect(hookRotated.status).toBe(200);
    const endpointPath = `/api/agents/${agent.body.agent.id}/endpoint`;
    const endpointBody = { url: "http://127.0.0.1:9/agent" };
    const endpoint = await send<{ secret: string }>("PUT", endpointPath, "e1", endpointBody);
    expect(endpoint.status).toBe(201);
    const endpointRotated = await send<{ secret: string }>("POST", `${endpointPath}/rotate-secret`, "e2");
    expect(endpointRotated.status).toBe(200);

    const secrets = [
      agent.body.apiKey.key,
      rotated.body.key,
      token.body.token,
      hook.body.secret,
      hookRotated.body.secret,
      endpoint.body.secret,
      endpointRotated.body.secret,
    ];
    const stored = await storedRows(orgId);
    for (const secret of secrets) {
      expect(secret.length).toBeGreaterThan(20);
      expect(stored).not.toContain(secret);
      expect(stored).not.toContain(secret.slice(-20));
    }

    // The retry of the registration: no second agent, no key, what was made (to rotate its key).
    const replay = await send<Problem>("POST", "/api/agents", "a1", agentBody);
    expect(replay.status).toBe(409);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(replay.headers.get("content-type")).toContain("application/problem+json");
    expect(replay.body.secretShownOnce).toBe(true);
    expect(replay.body.firstAnswer?.status).toBe(201);
    expect(replay.body.firstAnswer?.body).toMatchObject({ agent: { id: agent.body.agent.id } });
    expect(replay.body.firstAnswer?.body.apiKey).not.toHaveProperty("key");
    const replays = await Promise.all([
      send<Problem>("POST", `/api/agents/${agent.body.agent.id}/keys`, "a2", {}),
      send<Problem>("POST", "/api/personal-tokens", "p1", { name: "script", scopes: ["taskflow:read"] }),
      send<Problem>("POST", hooks, "w1", hookBody),
      send<Problem>("POST", rotatePath, "w2"),
      send<Problem>("PUT", endpointPath, "e1", endpointBody),
      send<Problem>("POST", `${endpointPath}/rotate-secret`, "e2"),
    ]);
    for (const again of replays) {
      expect(again.status).toBe(409);
      expect(again.body.secretShownOnce).toBe(true);
      for (const secret of secrets) expect(JSON.stringify(again.body)).not.toContain(secret);
    }
    expect(replays[2]?.body.firstAnswer?.body).toMatchObject({ id: hook.body.id });
    expect(replays[2]?.body.firstAnswer?.body).not.toHaveProperty("secret");
    // The registration's key still works: the replay revoked nothing and made nothing.
    const me = await api.call<{ id: string }>("GET", "/api/workers/me", { token: rotated.body.key });
    expect(me.body.id).toBe(agent.body.agent.id);
  });

  it("names every operation of the published document whose answer carries a one-time secret", async () => {
    interface Operation {
      responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>;
    }
    const doc = await api.call<{ paths: Record<string, Record<string, Operation>> }>("GET", "/openapi.json");
    const secretSchemas =
      /#\/components\/schemas\/(RegisteredAgent|IssuedAgentKey|IssuedPersonalToken|WebhookWithSecret|AgentEndpointWithSecret)"/;
    const carrying: string[] = [];
    for (const [path, operations] of Object.entries(doc.body.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const success = Object.entries(operation.responses ?? {}).filter(([status]) =>
          status.startsWith("2"),
        );
        if (success.some(([, response]) => secretSchemas.test(JSON.stringify(response)))) {
          carrying.push(`${method.toUpperCase()} ${path.replaceAll(/\{(\w+)\}/g, ":$1")}`);
        }
      }
    }
    expect(carrying.sort()).toEqual(Object.keys(oneTimeSecretAnswers).sort());
  });
});
