import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { AgentEndpointWithSecret, RunList, RunWithActivity, Task } from "@taskflow/contracts";
import { signWebhookPayload } from "@taskflow/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDocsReceiver } from "./support/docs-receiver.ts";
import { fixtures } from "./support/fixtures.ts";
import { startTestApi, type TestApi } from "./support/test-api.ts";

let api: TestApi;
let fx: ReturnType<typeof fixtures>;
beforeAll(async () => {
  api = await startTestApi();
  fx = fixtures(api);
});
afterAll(() => api.close());

/** An organization: an owner, a member (with an email address), a project and an agent member. */
async function team() {
  const tenant = api.newTenant();
  const owner = await api.signIn({ orgId: tenant, orgRole: "owner" });
  const member = await api.signIn({
    orgId: tenant,
    orgRole: "member",
    email: "mia@example.com",
    name: "Mia",
  });
  const project = await fx.createProject(owner.token, "Dispatch");
  await fx.addMember(owner.token, project.id, member.workerId);
  const handle = `@builder-${tenant.slice(-6)}`;
  const { agent, apiKey } = await fx.registerAgent(owner.token, handle);
  await fx.addMember(owner.token, project.id, agent.id);
  const newTask = async (title: string) =>
    (
      await api.call<Task>("POST", `/api/projects/${project.id}/tasks`, {
        token: member.token,
        body: { title, description: "What done looks like" },
      })
    ).body;
  return { tenant, owner, member, project, agent, key: apiKey.key, handle, newTask };
}

/** The agent registers its endpoint; the docs' receiver listens there with the secret it was given. */
async function withReceiver(t: Awaited<ReturnType<typeof team>>) {
  const placeholder = await api.call<AgentEndpointWithSecret>("PUT", `/api/agents/${t.agent.id}/endpoint`, {
    token: t.key,
    body: { url: "http://127.0.0.1:9/taskflow" },
  });
  expect(placeholder.status, JSON.stringify(placeholder.body)).toBe(201);
  expect(placeholder.body.secret).toMatch(/^whsec_/);
  const receiver = await startDocsReceiver(placeholder.body.secret);
  // Moving the endpoint keeps its secret.
  const moved = await api.call<Record<string, unknown>>("PUT", `/api/agents/${t.agent.id}/endpoint`, {
    token: t.key,
    body: { url: receiver.url },
  });
  expect(moved.status).toBe(200);
  expect(moved.body).not.toHaveProperty("secret");
  return { receiver, secret: placeholder.body.secret };
}

describe("dispatch to an agent's endpoint", () => {
  it("assigning, @mentioning and prompting the agent each send a signed delivery the docs' receiver accepts", async () => {
    const t = await team();
    const { receiver } = await withReceiver(t);
    try {
      const task = await t.newTask("Write the importer");
      const assigned = await api.call("PATCH", `/api/tasks/${task.id}/assign`, {
        token: t.member.token,
        body: { assigneeId: t.agent.id },
      });
      expect(assigned.status).toBe(200);
      const [first] = await receiver.waitFor(1);
      expect(first).toMatchObject({
        event: "run.dispatched",
        reason: "assigned",
        run: { state: "pending", origin: "assign", taskId: task.id },
        task: { id: task.id, title: "Write the importer", description: "What done looks like" },
        by: { id: t.member.workerId, kind: "human" },
      });
      // Agents never see a person's email address, in a dispatch either.
      expect(JSON.stringify(first)).not.toContain("mia@example.com");

      const other = await t.newTask("Review the schema");
      const comment = await api.call("POST", `/api/tasks/${other.id}/comments`, {
        token: t.member.token,
        body: { body: `${t.handle} could you take a look?` },
      });
      expect(comment.status).toBe(201);
      const [, second] = await receiver.waitFor(2);
      expect(second).toMatchObject({
        reason: "mentioned",
        run: { state: "pending", origin: "mention", taskId: other.id },
        comment: { body: `${t.handle} could you take a look?` },
        prompt: { body: `${t.handle} could you take a look?`, signal: null },
      });

      const runs = await api.call<RunList>("GET", `/api/tasks/${task.id}/runs`, { token: t.member.token });
      const runId = runs.body.items[0]?.id as string;
      const prompt = await api.call<RunWithActivity>("POST", `/api/runs/${runId}/activities`, {
        token: t.member.token,
        body: { type: "prompt", body: "Start with the CSV files" },
      });
      expect(prompt.status).toBe(201);
      const [, , third] = await receiver.waitFor(3);
      expect(third).toMatchObject({
        reason: "prompted",
        run: { id: runId },
        prompt: { body: "Start with the CSV files" },
      });

      // The agent's own doings are not pushed back to it.
      await api.call("POST", `/api/tasks/${task.id}/claim`, { token: t.key });
      await api.call("POST", `/api/tasks/${task.id}/comments`, {
        token: t.key,
        body: { body: `${t.handle} note to self` },
      });
      const log = await api.call<{ items: { status: string; reason: string }[] }>(
        "GET",
        `/api/agents/${t.agent.id}/dispatches`,
        { token: t.owner.token },
      );
      expect(log.body.items.map((d) => `${d.reason}:${d.status}`)).toEqual([
        "prompted:delivered",
        "mentioned:delivered",
        "assigned:delivered",
      ]);
      expect(receiver.received).toHaveLength(3);
    } finally {
      await receiver.close();
    }
  });

  it("the docs' receiver refuses a forged, tampered or replayed delivery and hands none of them on", async () => {
    const t = await team();
    const { receiver, secret } = await withReceiver(t);
    try {
      const task = await t.newTask("Anything");
      await api.call("PATCH", `/api/tasks/${task.id}/assign`, {
        token: t.member.token,
        body: { assigneeId: t.agent.id },
      });
      const [genuine] = await receiver.waitFor(1);
      const now = Math.floor(Date.now() / 1000);
      const forged = JSON.stringify({
        ...genuine,
        id: "forged-1",
        task: { ...genuine?.task, title: "rm -rf /" },
      });
      const send = (body: string, signature: string) =>
        fetch(receiver.url, { method: "POST", headers: { "taskflow-signature": signature }, body });
      const attempts = {
        "another secret": await send(forged, signWebhookPayload("whsec_not-the-agents-secret", forged, now)),
        "a tampered body": await send(forged, signWebhookPayload(secret, JSON.stringify(genuine), now)),
        "an old timestamp": await send(forged, signWebhookPayload(secret, forged, now - 3_600)),
        "no signature": await send(forged, ""),
        "a malformed signature": await send(forged, "t=abc,v1=zz"),
      };
      expect(Object.fromEntries(Object.entries(attempts).map(([k, r]) => [k, r.status]))).toEqual({
        "another secret": 401,
        "a tampered body": 401,
        "an old timestamp": 401,
        "no signature": 401,
        "a malformed signature": 401,
      });
      // A correctly signed body is accepted by the same code: the refusals are the signature's doing.
      const signed = JSON.stringify({ ...genuine, id: "signed-2" });
      expect((await send(signed, signWebhookPayload(secret, signed, now))).status).toBe(204);
      await receiver.waitFor(2);
      expect(receiver.received.map((d) => d.id)).toEqual([genuine?.id, "signed-2"]);
    } finally {
      await receiver.close();
    }
  });

  it("retries a failing endpoint with backoff until it answers", async () => {
    const t = await team();
    let calls = 0;
    const flaky = createServer((_request, response) => {
      calls++;
      response.writeHead(calls < 3 ? 503 : 204).end();
    });
    await new Promise<void>((resolve) => flaky.listen(0, "127.0.0.1", () => resolve()));
    try {
      const url = `http://127.0.0.1:${(flaky.address() as AddressInfo).port}/hook`;
      await api.call("PUT", `/api/agents/${t.agent.id}/endpoint`, { token: t.owner.token, body: { url } });
      const task = await t.newTask("Flaky");
      await api.call("PATCH", `/api/tasks/${task.id}/assign`, {
        token: t.member.token,
        body: { assigneeId: t.agent.id },
      });
      const deadline = Date.now() + 15_000;
      let log: { status: string; attempts: number; lastStatusCode: number | null }[] = [];
      while (Date.now() < deadline) {
        log = (
          await api.call<{ items: typeof log }>("GET", `/api/agents/${t.agent.id}/dispatches`, {
            token: t.key,
          })
        ).body.items;
        if (log[0]?.status === "delivered") break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(log[0]).toMatchObject({ status: "delivered", attempts: 3, lastStatusCode: 204 });
    } finally {
      await new Promise<void>((resolve) => flaky.close(() => resolve()));
    }
  });

  it("guards the endpoint like webhooks, and only the agent or the organization's admins manage it", async () => {
    const t = await team();
    const guarded = await startTestApi(
      { database: api.database, issuer: api.issuer },
      { allowPrivateTargets: false },
    );
    try {
      for (const url of [
        "http://127.0.0.1:8080/x",
        "http://169.254.169.254/latest",
        "http://10.0.0.5/",
        "ftp://a.example/",
      ]) {
        const refused = await guarded.call("PUT", `/api/agents/${t.agent.id}/endpoint`, {
          token: t.key,
          body: { url },
        });
        expect(refused.status, url).toBeGreaterThanOrEqual(400);
        expect(JSON.stringify(refused.body), url).toContain("body.url");
      }
    } finally {
      await guarded.close();
    }
    const url = "http://127.0.0.1:9/x";
    expect(
      (await api.call("PUT", `/api/agents/${t.agent.id}/endpoint`, { token: t.member.token, body: { url } }))
        .status,
    ).toBe(403);
    const other = await fx.registerAgent(t.owner.token, `@other-${t.tenant.slice(-6)}`);
    expect(
      (
        await api.call("PUT", `/api/agents/${t.agent.id}/endpoint`, {
          token: other.apiKey.key,
          body: { url },
        })
      ).status,
    ).toBe(403);
    const reader = await fx.registerAgent(t.owner.token, `@reader-${t.tenant.slice(-6)}`, {
      scopes: { actions: ["read"] },
    });
    expect(
      (
        await api.call("PUT", `/api/agents/${reader.agent.id}/endpoint`, {
          token: reader.apiKey.key,
          body: { url },
        })
      ).status,
    ).toBe(403);
    const stranger = await api.signIn({ orgId: api.newTenant(), orgRole: "owner" });
    expect(
      (await api.call("PUT", `/api/agents/${t.agent.id}/endpoint`, { token: stranger.token, body: { url } }))
        .status,
    ).toBe(404);
    expect(
      (await api.call("GET", `/api/agents/${t.agent.id}/endpoint`, { token: t.owner.token })).status,
    ).toBe(404);
    const set = await api.call<AgentEndpointWithSecret>("PUT", `/api/agents/${t.agent.id}/endpoint`, {
      token: t.owner.token,
      body: { url },
    });
    expect(set.status).toBe(201);
    const shown = await api.call<Record<string, unknown>>("GET", `/api/agents/${t.agent.id}/endpoint`, {
      token: t.key,
    });
    expect(shown.body).toMatchObject({ url });
    expect(shown.body).not.toHaveProperty("secret");
    const rotated = await api.call<AgentEndpointWithSecret>(
      "POST",
      `/api/agents/${t.agent.id}/endpoint/rotate-secret`,
      { token: t.key },
    );
    expect(rotated.body.secret).not.toBe(set.body.secret);
    const audit = await fx.auditRows(t.tenant);
    const endpointRows = audit.filter((row) => row.entityType === "agent_endpoint");
    expect(endpointRows.map((row) => row.action)).toEqual([
      "agent_endpoint.set",
      "agent_endpoint.secret_rotated",
    ]);
    expect(JSON.stringify(endpointRows)).not.toContain("whsec_");
    // Like a webhook's, the endpoint's URL may be a bearer secret: the trail names its origin only.
    expect(JSON.stringify(endpointRows)).not.toContain(url);
    expect(endpointRows[0]?.after).toMatchObject({ target: "http://127.0.0.1:9" });
    expect((await api.call("DELETE", `/api/agents/${t.agent.id}/endpoint`, { token: t.key })).status).toBe(
      204,
    );
  });
});
