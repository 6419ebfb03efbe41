import { createHmac } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type {
  AuditEntry,
  Project,
  Webhook,
  WebhookDelivery,
  WebhookDeliveryPage,
  WebhookPayload,
  WebhookWithSecret,
} from "@taskflow/contracts";
import { schema, verifyWebhookSignature, WebhookDispatcher } from "@taskflow/core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { fixtures } from "./support/fixtures.ts";
import { startTestApi, type TestApi } from "./support/test-api.ts";

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  payload: WebhookPayload;
}

type Answer = number | "hang";

/** A webhook receiver on loopback that records every request and answers as told. */
async function startReceiver(answer: (n: number) => Answer = () => 200) {
  const received: Received[] = [];
  const held: ServerResponse[] = [];
  const server: Server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => {
      body += chunk;
    });
    req.on("end", () => {
      received.push({ headers: req.headers, body, payload: JSON.parse(body) as WebhookPayload });
      const a = answer(received.length);
      if (a === "hang") held.push(res);
      else res.writeHead(a).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return {
    url,
    received,
    held,
    of: (event: string) => received.filter((r) => r.payload.event === event),
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of held) res.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
type Receiver = Awaited<ReturnType<typeof startReceiver>>;

/** Waits (polling) until `check` returns a value; the test's own timeout bounds it. */
async function until<T>(check: () => T | undefined | false | Promise<T | undefined | false>): Promise<T> {
  for (;;) {
    const value = await check();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

let api: TestApi;
let fx: ReturnType<typeof fixtures>;
const receivers: Receiver[] = [];
beforeAll(async () => {
  api = await startTestApi();
  fx = fixtures(api);
});
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});
afterAll(() => api.close());

async function receiver(answer?: (n: number) => Answer): Promise<Receiver> {
  const r = await startReceiver(answer);
  receivers.push(r);
  return r;
}

/** The organization a project belongs to, read back from the database. */
async function tenantOf(on: TestApi, projectId: string): Promise<string> {
  const row = await on.db.query.projects.findFirst({ where: (p, { eq }) => eq(p.id, projectId) });
  if (!row) throw new Error("no project");
  return row.tenantId;
}

async function setup(name = "Hooked") {
  const ada = await api.signIn({ orgId: api.newTenant() });
  const project: Project = await fx.createProject(ada.token, name);
  return { ada, project };
}

async function addWebhook(token: string, projectId: string, body: Record<string, unknown>) {
  const res = await api.call<WebhookWithSecret>("POST", `/api/projects/${projectId}/webhooks`, {
    token,
    body,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

async function deliveries(
  token: string,
  projectId: string,
  webhookId: string,
  on: TestApi = api,
): Promise<WebhookDelivery[]> {
  const res = await on.call<WebhookDeliveryPage>(
    "GET",
    `/api/projects/${projectId}/webhooks/${webhookId}/deliveries?limit=100`,
    { token },
  );
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.items;
}

describe("webhook deliveries", () => {
  it("POSTs a task change with a valid signature and the right event", async () => {
    const { ada, project } = await setup();
    const hook = await receiver();
    const created = await addWebhook(ada.token, project.id, { url: hook.url, events: ["task.*"] });
    expect(created.secret).toMatch(/^whsec_/);
    expect(created).toMatchObject({ projectId: project.id, url: hook.url, events: ["task.*"], active: true });

    const task = await api.call<{ id: string }>("POST", `/api/projects/${project.id}/tasks`, {
      token: ada.token,
      body: { title: "Ship webhooks" },
    });
    expect(task.status).toBe(201);
    const [got] = await until(() => hook.of("task.created").length === 1 && hook.of("task.created"));
    if (!got) throw new Error("nothing received");

    // The signature, checked independently of the code that made it.
    const signature = got.headers["taskflow-signature"] as string;
    const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(signature);
    expect(match, signature).not.toBeNull();
    const [, t, v1] = match as RegExpExecArray;
    expect(createHmac("sha256", created.secret).update(`${t}.${got.body}`).digest("hex")).toBe(v1);
    expect(Math.abs(Number(t) - Date.now() / 1000)).toBeLessThan(300);
    expect(verifyWebhookSignature(created.secret, signature, got.body)).toBe(true);

    expect(got.headers["content-type"]).toBe("application/json");
    expect(got.headers["taskflow-event"]).toBe("task.created");
    expect(got.headers["taskflow-delivery"]).toBe(got.payload.id);
    expect(got.payload.event).toBe("task.created");
    const data: AuditEntry = got.payload.data;
    expect(data).toMatchObject({
      action: "task.created",
      entityType: "task",
      entityId: task.body.id,
      projectId: project.id,
      actorType: "human",
    });
    expect(got.payload.createdAt).toBe(data.createdAt);

    const log = await until(async () => {
      const items = await deliveries(ada.token, project.id, created.id);
      return items.some((d) => d.status === "delivered") && items;
    });
    expect(log).toEqual([
      expect.objectContaining({
        id: got.payload.id,
        auditId: data.id,
        event: "task.created",
        status: "delivered",
        attempts: 1,
        lastStatusCode: 200,
        lastError: null,
        nextAttemptAt: null,
      }),
    ]);
  });

  it("sends only the chosen events: exact actions, families, everything", async () => {
    const { ada, project } = await setup();
    const hook = await receiver();
    const exact = await addWebhook(ada.token, project.id, { url: hook.url, events: ["project.updated"] });
    const all = await addWebhook(ada.token, project.id, { url: hook.url, events: ["*"] });
    await api.call("PATCH", `/api/projects/${project.id}`, { token: ada.token, body: { description: "x" } });
    await api.call("POST", `/api/projects/${project.id}/tasks`, { token: ada.token, body: { title: "T" } });
    const exactLog = await deliveries(ada.token, project.id, exact.id);
    expect(exactLog.map((d) => d.event)).toEqual(["project.updated"]);
    const allLog = await deliveries(ada.token, project.id, all.id);
    // Everything after it was created: its own creation first, the task last (newest first).
    expect(allLog.map((d) => d.event)).toEqual(["task.created", "project.updated", "webhook.created"]);
    await until(() => hook.received.length === 4);
  });

  it("retries a receiver that answers 500, and delivers on its 200", async () => {
    const { ada, project } = await setup();
    const hook = await receiver((n) => (n === 1 ? 500 : 200));
    const webhook = await addWebhook(ada.token, project.id, { url: hook.url, events: ["project.updated"] });
    await api.call("PATCH", `/api/projects/${project.id}`, { token: ada.token, body: { name: "Renamed" } });
    const [delivery] = await until(async () => {
      const items = await deliveries(ada.token, project.id, webhook.id);
      return items[0]?.status === "delivered" && items;
    });
    expect(delivery).toMatchObject({
      status: "delivered",
      attempts: 2,
      lastStatusCode: 200,
      lastError: null,
    });
    expect(hook.received).toHaveLength(2);
    expect(new Set(hook.received.map((r) => r.headers["taskflow-delivery"]))).toEqual(
      new Set([delivery?.id]),
    );
    // Each attempt is signed afresh.
    for (const r of hook.received) {
      expect(verifyWebhookSignature(webhook.secret, r.headers["taskflow-signature"] as string, r.body)).toBe(
        true,
      );
    }
  });

  it("fails a delivery after the last attempt (3 in tests) and says why", async () => {
    const { ada, project } = await setup();
    const hook = await receiver(() => 500);
    const webhook = await addWebhook(ada.token, project.id, { url: hook.url, events: ["project.*"] });
    await api.call("PATCH", `/api/projects/${project.id}`, { token: ada.token, body: { name: "Broken" } });
    const [delivery] = await until(async () => {
      const items = await deliveries(ada.token, project.id, webhook.id);
      return items[0]?.status === "failed" && items;
    });
    expect(delivery).toMatchObject({
      status: "failed",
      attempts: 3,
      lastStatusCode: 500,
      lastError: "answered 500",
      nextAttemptAt: null,
      deliveredAt: null,
    });
    expect(hook.received).toHaveLength(3);
  });

  it("keeps the API answering while a receiver holds a delivery open", async () => {
    const { ada, project } = await setup();
    const hook = await receiver((n) => (n === 1 ? "hang" : 200));
    const webhook = await addWebhook(ada.token, project.id, { url: hook.url, events: ["project.updated"] });
    await api.call("PATCH", `/api/projects/${project.id}`, {
      token: ada.token,
      body: { description: "first" },
    });
    await until(() => hook.held.length === 1);

    // The receiver holds the first delivery: further changes still answer, and are delivered too.
    for (const description of ["second", "third"]) {
      const res = await api.call("PATCH", `/api/projects/${project.id}`, {
        token: ada.token,
        body: { description },
      });
      expect(res.status).toBe(200);
      expect(hook.held[0]?.writableEnded).toBe(false);
    }
    const task = await api.call("POST", `/api/projects/${project.id}/tasks`, {
      token: ada.token,
      body: { title: "Meanwhile" },
    });
    expect(task.status).toBe(201);
    const log = await until(async () => {
      const items = await deliveries(ada.token, project.id, webhook.id);
      return items.filter((d) => d.status === "delivered").length === 2 && items;
    });
    expect(hook.held[0]?.writableEnded).toBe(false);
    const first = log.at(-1);
    expect(first).toMatchObject({ status: "pending", attempts: 1 });

    hook.held[0]?.writeHead(200).end();
    const settled = await until(async () => {
      const items = await deliveries(ada.token, project.id, webhook.id);
      return items.every((d) => d.status === "delivered") && items;
    });
    expect(settled.find((d) => d.id === first?.id)).toMatchObject({ status: "delivered", attempts: 1 });
  });

  it("sends each delivery once even with two dispatchers on the same database", async () => {
    const second = await startTestApi({ database: api.database, issuer: api.issuer });
    try {
      const { ada, project } = await setup();
      const hook = await receiver();
      const webhook = await addWebhook(ada.token, project.id, { url: hook.url, events: ["task.created"] });
      await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          (i % 2 ? api : second).call("POST", `/api/projects/${project.id}/tasks`, {
            token: ada.token,
            body: { title: `Task ${i}` },
          }),
        ),
      );
      const log = await until(async () => {
        const items = await deliveries(ada.token, project.id, webhook.id);
        return items.length === 12 && items.every((d) => d.status === "delivered") && items;
      });
      expect(log.every((d) => d.attempts === 1)).toBe(true);
      const ids = hook.received.map((r) => r.headers["taskflow-delivery"]);
      expect(ids).toHaveLength(12);
      expect(new Set(ids).size).toBe(12);
    } finally {
      await second.close();
    }
  });
});

describe("managing webhooks", () => {
  it("lists, reads, changes, rotates and deletes a webhook, audited without its secret", async () => {
    const { ada, project } = await setup();
    const hook = await receiver();
    const created = await addWebhook(ada.token, project.id, { url: hook.url, events: ["task.created"] });
    const base = `/api/projects/${project.id}/webhooks`;

    const list = await api.call<Webhook[]>("GET", base, { token: ada.token });
    expect(list.status).toBe(200);
    expect(list.body).toHaveLength(1);
    expect(list.body[0]).not.toHaveProperty("secret");
    const one = await api.call<Webhook>("GET", `${base}/${created.id}`, { token: ada.token });
    expect(one.body).toEqual(list.body[0]);

    const changed = await api.call<Webhook>("PATCH", `${base}/${created.id}`, {
      token: ada.token,
      body: { events: ["task.*", "comment.added"], active: false },
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ events: ["task.*", "comment.added"], active: false });
    expect(changed.body).not.toHaveProperty("secret");

    // Inactive: nothing is queued.
    await api.call("POST", `/api/projects/${project.id}/tasks`, {
      token: ada.token,
      body: { title: "Quiet" },
    });
    expect(await deliveries(ada.token, project.id, created.id)).toEqual([]);

    const rotated = await api.call<WebhookWithSecret>("POST", `${base}/${created.id}/rotate-secret`, {
      token: ada.token,
    });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(created.secret);

    // Active again: signed with the new secret.
    await api.call("PATCH", `${base}/${created.id}`, { token: ada.token, body: { active: true } });
    await api.call("POST", `/api/projects/${project.id}/tasks`, {
      token: ada.token,
      body: { title: "Loud" },
    });
    const [got] = await until(() => hook.of("task.created").length === 1 && hook.of("task.created"));
    const header = got?.headers["taskflow-signature"] as string;
    expect(verifyWebhookSignature(rotated.body.secret, header, got?.body ?? "")).toBe(true);
    expect(verifyWebhookSignature(created.secret, header, got?.body ?? "")).toBe(false);

    const removed = await api.call("DELETE", `${base}/${created.id}`, { token: ada.token });
    expect(removed.status).toBe(204);
    expect((await api.call("GET", `${base}/${created.id}`, { token: ada.token })).status).toBe(404);
    expect((await api.call("GET", `${base}/${created.id}/deliveries`, { token: ada.token })).status).toBe(
      404,
    );

    const audit = (await fx.auditRows(await tenantOf(api, project.id))).filter(
      (a) => a.entityType === "webhook",
    );
    expect(audit.map((a) => a.action)).toEqual([
      "webhook.created",
      "webhook.updated",
      "webhook.secret_rotated",
      "webhook.updated",
      "webhook.deleted",
    ]);
    const text = JSON.stringify(audit);
    expect(text).not.toContain(created.secret);
    expect(text).not.toContain(rotated.body.secret);
    expect(text).not.toContain("whsec_");
  });

  it("pages the delivery log newest first with a cursor", async () => {
    const { ada, project } = await setup();
    const hook = await receiver();
    const webhook = await addWebhook(ada.token, project.id, { url: hook.url, events: ["project.updated"] });
    for (const description of ["a", "b", "c"]) {
      await api.call("PATCH", `/api/projects/${project.id}`, { token: ada.token, body: { description } });
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${cursor}` : "";
      const res = await api.call<WebhookDeliveryPage>(
        "GET",
        `/api/projects/${project.id}/webhooks/${webhook.id}/deliveries?limit=2${query}`,
        { token: ada.token },
      );
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((d) => d.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(3);
    expect([...seen].sort((a, b) => Number(b) - Number(a))).toEqual(seen);
    const bad = await api.call(
      "GET",
      `/api/projects/${project.id}/webhooks/${webhook.id}/deliveries?cursor=nope`,
      {
        token: ada.token,
      },
    );
    expect([400, 422]).toContain(bad.status);
  });

  it("answers 404 to another organization and 403 to project members who are not admins", async () => {
    const { ada, project } = await setup();
    const hook = await receiver();
    const webhook = await addWebhook(ada.token, project.id, { url: hook.url, events: ["*"] });
    const base = `/api/projects/${project.id}/webhooks`;

    const eve = await api.signIn({ orgId: api.newTenant() });
    const eveProject = await fx.createProject(eve.token, "Eve's");
    for (const [method, path, body] of [
      ["GET", base, undefined],
      ["POST", base, { url: hook.url }],
      ["GET", `${base}/${webhook.id}`, undefined],
      ["PATCH", `${base}/${webhook.id}`, { active: false }],
      ["DELETE", `${base}/${webhook.id}`, undefined],
      ["POST", `${base}/${webhook.id}/rotate-secret`, undefined],
      ["GET", `${base}/${webhook.id}/deliveries`, undefined],
      // Her own project with Ada's webhook id.
      ["GET", `/api/projects/${eveProject.id}/webhooks/${webhook.id}`, undefined],
      ["PATCH", `/api/projects/${eveProject.id}/webhooks/${webhook.id}`, { active: false }],
      ["GET", `/api/projects/${eveProject.id}/webhooks/${webhook.id}/deliveries`, undefined],
    ] as const) {
      const res = await api.call(method, path, { token: eve.token, ...(body ? { body } : {}) });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(JSON.stringify(res.body)).not.toContain(hook.url);
    }

    const orgId = await tenantOf(api, project.id);
    for (const role of ["member", "viewer"]) {
      const bob = await api.signIn({ orgId, orgRole: "member" });
      await fx.addMember(ada.token, project.id, bob.workerId, role);
      for (const [method, path, body] of [
        ["GET", base, undefined],
        ["POST", base, { url: hook.url }],
        ["GET", `${base}/${webhook.id}`, undefined],
        ["PATCH", `${base}/${webhook.id}`, { active: false }],
        ["DELETE", `${base}/${webhook.id}`, undefined],
        ["POST", `${base}/${webhook.id}/rotate-secret`, undefined],
        ["GET", `${base}/${webhook.id}/deliveries`, undefined],
      ] as const) {
        const res = await api.call(method, path, { token: bob.token, ...(body ? { body } : {}) });
        expect(res.status, `${role}: ${method} ${path}`).toBe(403);
      }
    }
    const still = await api.call<Webhook>("GET", `${base}/${webhook.id}`, { token: ada.token });
    expect(still.body.active).toBe(true);
  });

  it("drops finished deliveries from the log after the retention, never unfinished ones", async () => {
    const { ada, project } = await setup();
    const hook = await receiver();
    const webhook = await addWebhook(ada.token, project.id, { url: hook.url, events: ["project.updated"] });
    await api.call("PATCH", `/api/projects/${project.id}`, {
      token: ada.token,
      body: { description: "old" },
    });
    const [done] = await until(async () => {
      const items = await deliveries(ada.token, project.id, webhook.id);
      return items[0]?.status === "delivered" && items;
    });
    // A delivery still waiting (its webhook is inactive, so no dispatcher takes it).
    await api.call("PATCH", `/api/projects/${project.id}/webhooks/${webhook.id}`, {
      token: ada.token,
      body: { active: false },
    });
    const [waiting] = await api.db
      .insert(schema.webhookDeliveries)
      .values({ webhookId: webhook.id, auditId: Number(done?.auditId), action: "project.updated" })
      .returning();

    await new WebhookDispatcher(api.db, { retentionDays: 0 }).prune();
    const kept = await deliveries(ada.token, project.id, webhook.id);
    expect(kept.map((d) => d.id)).toEqual([String(waiting?.id)]);
    expect(kept[0]?.status).toBe("pending");
  });

  it("documents the routes and the delivery itself in the OpenAPI document", async () => {
    const spec = await api.call<{
      paths: Record<string, Record<string, { security?: unknown[]; responses: Record<string, unknown> }>>;
      webhooks?: Record<string, Record<string, { requestBody: unknown }>>;
    }>("GET", "/openapi.json");
    expect(spec.status).toBe(200);
    const routes = Object.entries(spec.body.paths)
      .filter(([path]) => path.includes("/webhooks"))
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))
      .sort();
    expect(routes).toEqual([
      "DELETE /api/projects/{id}/webhooks/{webhookId}",
      "GET /api/projects/{id}/webhooks",
      "GET /api/projects/{id}/webhooks/{webhookId}",
      "GET /api/projects/{id}/webhooks/{webhookId}/deliveries",
      "PATCH /api/projects/{id}/webhooks/{webhookId}",
      "POST /api/projects/{id}/webhooks",
      "POST /api/projects/{id}/webhooks/{webhookId}/rotate-secret",
    ]);
    for (const [path, ops] of Object.entries(spec.body.paths).filter(([p]) => p.includes("/webhooks"))) {
      for (const op of Object.values(ops)) {
        expect(op.security, path).toBeDefined();
        expect(Object.keys(op.responses), path).toEqual(expect.arrayContaining(["401", "403", "404"]));
      }
    }
    expect(spec.body.webhooks?.projectChange?.post?.requestBody).toBeDefined();
  });

  it("caps a project at 20 webhooks, also when they are created at once", async () => {
    const { ada, project } = await setup();
    const hook = await receiver();
    const answers = await Promise.all(
      Array.from({ length: 23 }, (_, i) =>
        api.call("POST", `/api/projects/${project.id}/webhooks`, {
          token: ada.token,
          body: { url: `${hook.url}?n=${i}`, events: ["comment.added"] },
        }),
      ),
    );
    expect(answers.filter((a) => a.status === 201)).toHaveLength(20);
    expect(answers.filter((a) => a.status === 409)).toHaveLength(3);
    const list = await api.call<Webhook[]>("GET", `/api/projects/${project.id}/webhooks`, {
      token: ada.token,
    });
    expect(list.body).toHaveLength(20);
  });

  it("refuses bad input: another scheme, unknown fields, malformed events", async () => {
    const { ada, project } = await setup();
    const base = `/api/projects/${project.id}/webhooks`;
    for (const body of [
      { url: "ftp://example.com/hook" },
      { url: "not a url" },
      { url: "https://example.com/hook", events: [] },
      { url: "https://example.com/hook", events: ["Task Created"] },
      { url: "https://example.com/hook", secret: "mine" },
    ]) {
      const res = await api.call<{ errors: { field: string }[] }>("POST", base, { token: ada.token, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.errors[0]?.field).toMatch(/^body/);
    }
  });
});

describe("SSRF guard with the default configuration", () => {
  let strict: TestApi;
  beforeAll(async () => {
    // Its own database, so its strict dispatcher handles only this block's deliveries.
    strict = await startTestApi(undefined, { allowPrivateTargets: false });
  });
  afterAll(() => strict.close());

  it("refuses loopback, private and metadata URLs with 422 naming body.url, sending nothing", async () => {
    const ada = await strict.signIn({ orgId: strict.newTenant() });
    const project = (
      await strict.call<Project>("POST", "/api/projects", { token: ada.token, body: { name: "P" } })
    ).body;
    const hook = await receiver();
    const port = new URL(hook.url).port;
    for (const url of [
      hook.url,
      `http://localhost:${port}/hook`,
      `http://[::1]:${port}/hook`,
      `http://[::ffff:127.0.0.1]:${port}/hook`,
      "http://10.0.0.1/hook",
      "http://192.168.1.1/hook",
      "http://172.16.0.1/hook",
      "http://100.64.0.1/hook",
      "http://169.254.169.254/latest/meta-data/",
      "http://0.0.0.0/",
      "http://[fd00::1]/hook",
    ]) {
      const res = await strict.call<{ code: string; errors: { field: string; message: string }[] }>(
        "POST",
        `/api/projects/${project.id}/webhooks`,
        { token: ada.token, body: { url } },
      );
      expect(res.status, url).toBe(422);
      expect(res.body.code).toBe("invalid_input");
      expect(res.body.errors[0]?.field).toBe("body.url");
      expect(res.body.errors[0]?.message).toMatch(/^refused: /);
    }
    const list = await strict.call<Webhook[]>("GET", `/api/projects/${project.id}/webhooks`, {
      token: ada.token,
    });
    expect(list.body).toEqual([]);
    expect(hook.received).toEqual([]);
  });

  it("refuses the IPv6 forms that reach IPv4 loopback, site-local, Teredo and documentation targets (red team 11)", async () => {
    const ada = await strict.signIn({ orgId: strict.newTenant() });
    const project = (
      await strict.call<Project>("POST", "/api/projects", { token: ada.token, body: { name: "P" } })
    ).body;
    const accepted: string[] = [];
    // The red team's list (/tmp/rt/ssrf.mjs, whremove.mjs), sent as it sent them.
    for (const url of [
      "http://[::ffff:7f00:1]:8000/",
      "http://[::127.0.0.1]:8000/",
      "http://[::ffff:0:127.0.0.1]:8000/",
      "http://[64:ff9b:1::7f00:1]/",
      "http://0x7f.1:8000/",
      "http://[fec0::1]/",
      "http://2130706433:8000/",
      "http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/",
      "http://127.1:8000/",
      "http://[0:0:0:0:0:ffff:127.0.0.1]:8000/",
      "http://localhost./",
      "http://[::]:8000/",
      "http://192.0.2.2:18080/alice-r1",
      "http://[2001:db8::1]/",
    ]) {
      const res = await strict.call<{ errors: { field: string; message: string }[] }>(
        "POST",
        `/api/projects/${project.id}/webhooks`,
        { token: ada.token, body: { url, events: ["*"] } },
      );
      if (res.status !== 422 || res.body.errors[0]?.field !== "body.url")
        accepted.push(`${res.status} ${url}`);
    }
    expect(accepted).toEqual([]);
  });

  it("checks again at delivery time: a webhook whose host now points inside is refused, never contacted", async () => {
    const ada = await strict.signIn({ orgId: strict.newTenant() });
    const project = (
      await strict.call<Project>("POST", "/api/projects", { token: ada.token, body: { name: "P" } })
    ).body;
    const hook = await receiver();
    const port = new URL(hook.url).port;
    // As if DNS had changed after the check at creation: rows written behind the API's back.
    const tenantId = await tenantOf(strict, project.id);
    const rows = await strict.db
      .insert(schema.webhooks)
      .values(
        [
          hook.url,
          `http://localhost:${port}/hook`,
          `http://[::127.0.0.1]:${port}/hook`,
          `http://[::ffff:0:127.0.0.1]:${port}/hook`,
        ].map((url) => ({
          tenantId,
          projectId: project.id,
          url,
          events: ["project.updated"],
          secret: "whsec_test",
          createdBy: ada.workerId,
        })),
      )
      .returning();
    await strict.call("PATCH", `/api/projects/${project.id}`, { token: ada.token, body: { name: "Moved" } });
    for (const row of rows) {
      const [delivery] = await until(async () => {
        const items = await deliveries(ada.token, project.id, row.id, strict);
        return items[0]?.status === "failed" && items;
      });
      expect(delivery).toMatchObject({ status: "failed", attempts: 1, lastStatusCode: null });
      expect(delivery?.lastError).toMatch(/^refused: .*loopback/);
    }
    expect(hook.received).toEqual([]);

    // Changing a webhook to an internal URL is refused the same way.
    const patched = await strict.call<{ errors: { field: string }[] }>(
      "PATCH",
      `/api/projects/${project.id}/webhooks/${rows[0]?.id}`,
      { token: ada.token, body: { url: "http://169.254.169.254/" } },
    );
    expect(patched.status).toBe(422);
    expect(patched.body.errors[0]?.field).toBe("body.url");
  });
});
