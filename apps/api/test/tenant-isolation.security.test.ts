import { randomUUID } from "node:crypto";
import type { Task } from "@taskflow/contracts";
import { schema } from "@taskflow/core";
import { eq, getTableName, is } from "drizzle-orm";
import { PgTable } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixtures } from "./support/fixtures.ts";
import { startTestApi, type TestApi } from "./support/test-api.ts";

/**
 * Tenant B tries every route of the OpenAPI document on tenant A's objects. The routes are read
 * from `/openapi.json`, so a route added later is covered without touching this file: B's org
 * owner gets 404 wherever A's ids appear (never 2xx), B's agent 404 or 403, routes without ids
 * answer only about B, and every row of A in every table is unchanged afterwards.
 */

let api: TestApi;
let fx: ReturnType<typeof fixtures>;
beforeAll(async () => {
  api = await startTestApi();
  fx = fixtures(api);
});
afterAll(() => api.close());

type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  const?: unknown;
  example?: unknown;
  default?: unknown;
  minimum?: number;
  minLength?: number;
  minItems?: number;
  pattern?: string;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
};
type Operation = {
  parameters?: { name: string; in: string; required?: boolean; schema?: JsonSchema }[];
  responses?: Record<string, unknown>;
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
};
type OpenApi = {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, JsonSchema> };
};

/** Everything tenant A owns, created through the API. */
async function tenantA() {
  const orgId = api.newTenant();
  const owner = await api.signIn({ orgId, orgRole: "owner", name: "Alice Secret" });
  const colleague = await api.signIn({ orgId, orgRole: "member", name: "Carol Secret" });
  const project = await fx.createProject(owner.token, "Tenant A secret project");
  await fx.addMember(owner.token, project.id, colleague.workerId, "member");
  const { agent } = await fx.registerAgent(owner.token, "@a-secret-agent");
  await fx.addMember(owner.token, project.id, agent.id, "member");
  const rotated = await api.call<{ id: string; key: string }>("POST", `/api/agents/${agent.id}/keys`, {
    token: owner.token,
  });
  expect(rotated.status).toBe(201);
  const created = await api.call<Task>("POST", `/api/projects/${project.id}/tasks`, {
    token: owner.token,
    body: { title: "Tenant A secret task", assigneeId: colleague.workerId },
  });
  expect(created.status).toBe(201);
  const task = created.body;
  const subtask = await fx.insertTask(orgId, project.id, owner.workerId, {
    parentId: task.id,
    title: "Tenant A secret subtask",
    status: "review",
  });
  const comment = await api.call<{ id: string }>("POST", `/api/tasks/${task.id}/comments`, {
    token: rotated.body.key,
    body: { body: "Tenant A secret comment" },
  });
  expect(comment.status).toBe(201);
  // A's agent works a task: its run, with a question on it.
  const runTask = await fx.insertTask(orgId, project.id, owner.workerId, { title: "Tenant A secret run" });
  const claim = await api.call("POST", `/api/tasks/${runTask.id}/claim`, { token: rotated.body.key });
  expect(claim.status).toBe(200);
  const runs = await api.call<{ items: { id: string }[] }>("GET", `/api/tasks/${runTask.id}/runs`, {
    token: owner.token,
  });
  const runId = runs.body.items[0]?.id as string;
  const question = await api.call<{ activity: { id: string } }>("POST", `/api/runs/${runId}/activities`, {
    token: rotated.body.key,
    body: { type: "elicitation", body: "Tenant A secret question", askedOfId: colleague.workerId },
  });
  expect(question.status).toBe(201);
  // Written last and straight to the database, so no delivery is queued for it during the test.
  const [webhook] = await api.db
    .insert(schema.webhooks)
    .values({
      tenantId: orgId,
      projectId: project.id,
      url: "https://a.example.test/hook",
      events: ["*"],
      secret: "Tenant A secret webhook signing key",
    })
    .returning();
  if (!webhook) throw new Error("no webhook");
  const personalToken = await api.call<{ id: string; token: string }>("POST", "/api/personal-tokens", {
    token: owner.token,
    body: { name: "Tenant A secret token", scopes: ["taskflow:read"] },
  });
  expect(personalToken.status).toBe(201);
  // The colleague was told of the task assigned to them: a notification of A's.
  const [notification] = await api.db
    .select()
    .from(schema.notifications)
    .where(eq(schema.notifications.recipientId, colleague.workerId));
  if (!notification) throw new Error("no notification");
  return {
    orgId,
    owner,
    colleague,
    project,
    agent,
    key: rotated.body,
    task,
    subtask,
    commentId: comment.body.id,
    webhookId: webhook.id,
    personalTokenId: personalToken.body.id,
    notificationId: notification.id,
    runId,
    activityId: question.body.activity.id,
  };
}

type A = Awaited<ReturnType<typeof tenantA>>;

/** Every row of every table that belongs to tenant A, as sorted JSON per table. */
async function snapshot(orgId: string): Promise<Record<string, string[]>> {
  const tables = (Object.values(schema) as unknown[]).filter((t): t is PgTable => is(t, PgTable));
  const rowsByTable = new Map<string, Record<string, unknown>[]>();
  for (const table of tables) rowsByTable.set(getTableName(table), await api.db.select().from(table));
  // A's objects: rows with A's tenant id; then rows of tables without one that point at them.
  const owned = new Set<unknown>();
  const result: Record<string, string[]> = {};
  for (const [name, rows] of rowsByTable) {
    if (!rows.some((r) => "tenantId" in r) && rows.length > 0) continue;
    const mine = rows.filter((r) => r.tenantId === orgId);
    for (const r of mine) owned.add(r.id);
    result[name] = mine.map((r) => JSON.stringify(r)).sort();
  }
  for (const [name, rows] of rowsByTable) {
    if (name in result) continue;
    result[name] = rows
      .filter((r) => Object.values(r).some((v) => typeof v === "string" && owned.has(v)))
      .map((r) => JSON.stringify(r))
      .sort();
  }
  return result;
}

function resolve(spec: OpenApi, s: JsonSchema | undefined): JsonSchema {
  if (!s) return {};
  if (s.$ref) return resolve(spec, spec.components?.schemas?.[s.$ref.split("/").at(-1) ?? ""]);
  return s;
}

/** The id of A's that a parameter or field named `name` most likely refers to. */
function idFor(a: A, name: string, path: string): string {
  const byName: Record<string, string> = {
    workerId: a.colleague.workerId,
    assigneeId: a.colleague.workerId,
    ownerId: a.colleague.workerId,
    keyId: a.key.id,
    commentId: a.commentId,
    parentId: a.task.id,
    dependsOnId: a.task.id,
    taskId: a.task.id,
    projectId: a.project.id,
    agentId: a.agent.id,
    webhookId: a.webhookId,
    activityId: a.activityId,
    answers: a.activityId,
    askedOfId: a.colleague.workerId,
  };
  if (byName[name]) return byName[name];
  if (name === "id") {
    if (path.startsWith("/api/projects/")) return a.project.id;
    if (path.startsWith("/api/tasks/")) return a.task.id;
    if (path.startsWith("/api/agents/")) return a.agent.id;
    if (path.startsWith("/api/workers/")) return a.colleague.workerId;
    if (path.startsWith("/api/personal-tokens/")) return a.personalTokenId;
    if (path.startsWith("/api/notifications/")) return a.notificationId;
    if (path.startsWith("/api/runs/")) return a.runId;
  }
  // A parameter this suite does not know yet still gets an id that is not B's: a random one.
  return randomUUID();
}

/** A minimal value that passes the schema, with A's ids wherever an id is asked for. */
function sample(spec: OpenApi, raw: JsonSchema | undefined, a: A, name: string, path: string): unknown {
  const s = resolve(spec, raw);
  if (s.allOf?.length) return sample(spec, s.allOf[0], a, name, path);
  const options = s.anyOf ?? s.oneOf;
  if (options?.length) {
    const nonNull = options.find((o) => resolve(spec, o).type !== "null") ?? options[0];
    return sample(spec, nonNull, a, name, path);
  }
  if (s.const !== undefined) return s.const;
  if (s.enum?.length) return s.enum[0];
  if (s.example !== undefined && s.format !== "uuid") return s.example;
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== "null") : s.type;
  switch (type) {
    case "string":
      if (s.format === "uuid") return idFor(a, name, path);
      if (s.format === "date-time") return new Date(Date.now() + 86_400_000).toISOString();
      return "x".repeat(Math.max(s.minLength ?? 1, 1));
    case "integer":
    case "number":
      return s.minimum ?? 1;
    case "boolean":
      return true;
    case "array":
      return s.minItems ? [sample(spec, s.items, a, name, path)] : [];
    case "object": {
      const props = s.properties ?? {};
      const keys = s.required?.length ? s.required : Object.keys(props).slice(0, 1);
      return Object.fromEntries(keys.map((k) => [k, sample(spec, props[k], a, k, path)]));
    }
    default:
      return "x";
  }
}

interface Attempt {
  method: string;
  path: string;
  url: string;
  body: unknown;
  /** A's ids appear in the request (path or query), so only "not found" will do. */
  targetsA: boolean;
  /** It answers a live stream (Server-Sent Events), which does not end by itself. */
  stream: boolean;
}

function attempts(spec: OpenApi, a: A): Attempt[] {
  const list: Attempt[] = [];
  for (const [path, operations] of Object.entries(spec.paths)) {
    // Operations endpoints (/health, /metrics) hold no tenant's data, only process figures; the
    // route patterns /metrics lists (`…/rotate-secret`) would read as a leaked "secret".
    if (!path.startsWith("/api/")) continue;
    for (const [method, op] of Object.entries(operations)) {
      if (!["get", "post", "put", "patch", "delete"].includes(method)) continue;
      const params = op.parameters ?? [];
      let url = path;
      let targetsA = false;
      for (const p of params.filter((p) => p.in === "path")) {
        url = url.replace(`{${p.name}}`, idFor(a, p.name, path));
        targetsA = true;
      }
      const query = new URLSearchParams();
      for (const p of params.filter((p) => p.in === "query")) {
        const s = resolve(spec, p.schema);
        const isId = s.format === "uuid" || /Id$/.test(p.name);
        if (!p.required && !isId) continue;
        const value = sample(spec, p.schema, a, p.name, path);
        query.set(p.name, String(value));
        if (isId) targetsA = true;
      }
      if (query.size) url += `?${query}`;
      const json = op.requestBody?.content?.["application/json"]?.schema;
      list.push({
        method: method.toUpperCase(),
        path,
        url,
        body: json ? sample(spec, json, a, "body", path) : undefined,
        targetsA,
        stream: JSON.stringify(op).includes('"text/event-stream"'),
      });
    }
  }
  return list;
}

/**
 * A live stream B may open (its own inbox) stays open: what it says within a second is its answer. A refused
 * one answers at once, like any route.
 */
async function firstOfStream(url: string, token: string) {
  const controller = new AbortController();
  const res = await fetch(`${api.baseUrl}${url}`, {
    headers: { authorization: `Bearer ${token}` },
    signal: controller.signal,
  });
  const reader = res.body?.getReader();
  let text = "";
  const until = Date.now() + 1_000;
  while (reader && Date.now() < until) {
    const chunk = await Promise.race([
      reader.read(),
      new Promise<null>((resolve) => setTimeout(() => resolve(null), until - Date.now())),
    ]);
    if (!chunk || chunk.done) break;
    text += new TextDecoder().decode(chunk.value);
  }
  controller.abort();
  const body = /json/.test(res.headers.get("content-type") ?? "") && text ? JSON.parse(text) : text;
  return { status: res.status, headers: res.headers, body: body as unknown };
}

describe("tenant isolation", () => {
  it("lets tenant B reach nothing of tenant A through any route, and changes nothing of A's", async () => {
    const a = await tenantA();
    const orgB = api.newTenant();
    const bOwner = await api.signIn({ orgId: orgB, orgRole: "owner" });
    const { apiKey: bKey } = await fx.registerAgent(bOwner.token, "@b-agent");
    const spec = (await api.call<OpenApi>("GET", "/openapi.json")).body;
    const all = attempts(spec, a);
    expect(all.length).toBeGreaterThan(30);

    // What must never show up in an answer to B.
    const secrets = [
      a.project.id,
      a.task.id,
      a.subtask.id,
      a.agent.id,
      a.key.id,
      a.commentId,
      a.webhookId,
      a.personalTokenId,
      a.notificationId,
      a.owner.workerId,
      a.colleague.workerId,
      "Secret",
      "secret",
    ];
    const before = await snapshot(a.orgId);
    expect(Object.values(before).flat().length).toBeGreaterThan(20);

    const failures: string[] = [];
    for (const caller of [
      { who: "B's org owner", token: bOwner.token, refusals: [404] },
      { who: "B's agent", token: bKey.key, refusals: [403, 404] },
    ]) {
      for (const attempt of all) {
        const res = attempt.stream
          ? await firstOfStream(attempt.url, caller.token)
          : await api.call(attempt.method, attempt.url, {
              token: caller.token,
              ...(attempt.body !== undefined ? { body: attempt.body } : {}),
            });
        const label = `${caller.who}: ${attempt.method} ${attempt.url} ${JSON.stringify(attempt.body ?? null)} → ${res.status}`;
        if (attempt.targetsA) {
          if (!caller.refusals.includes(res.status)) failures.push(`${label} (expected ${caller.refusals})`);
        } else if (res.status >= 500) {
          failures.push(label);
        }
        // A problem's `instance` echoes the path B sent itself; anything else of A's is a leak.
        const { instance: _echo, ...answer } =
          res.body && typeof res.body === "object" ? (res.body as Record<string, unknown>) : {};
        const text = typeof res.body === "string" ? res.body : JSON.stringify(answer);
        const leaked = secrets.filter((s) => text.includes(s));
        if (leaked.length) failures.push(`${label} leaked ${leaked.join(", ")}`);
      }
    }
    expect(failures).toEqual([]);
    expect(await snapshot(a.orgId)).toEqual(before);
  });

  it("covers every route that takes an id", async () => {
    // Guards the generator above: each route with a path parameter got one of A's real ids.
    const a = await tenantA();
    const spec = (await api.call<OpenApi>("GET", "/openapi.json")).body;
    const known = new Set([
      a.project.id,
      a.task.id,
      a.agent.id,
      a.key.id,
      a.commentId,
      a.webhookId,
      a.colleague.workerId,
      a.personalTokenId,
      a.notificationId,
      a.runId,
      a.activityId,
    ]);
    const unmapped = attempts(spec, a)
      .filter((t) => t.targetsA)
      .filter((t) => {
        const ids = t.url.match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g) ?? [];
        return ids.some((id) => !known.has(id));
      })
      .map((t) => `${t.method} ${t.path}`);
    // A new kind of object gets an entry in idFor(); until then it is tried with a random id.
    expect(unmapped).toEqual([]);
  });
});
