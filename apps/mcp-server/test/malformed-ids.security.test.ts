import { randomUUID } from "node:crypto";
import type { IssuedAgentKey, Task } from "@taskflow/contracts";
import { schema } from "@taskflow/core";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eras, startTestMcp, type TestMcp } from "./support/test-mcp.ts";

// No database text reaches a client, on any path (issue 12, finding 8: `resources/read
// taskflow://tasks/not-a-uuid` answered "Failed query: select … params: …"). Malformed ids go to every
// path parameter and uuid query parameter of the published OpenAPI document, every uuid field of every
// MCP tool's input schema, every variable of every MCP resource template, and every prompt; the fields
// are read from the documents the servers publish, so a new route, tool or resource is swept too. The MCP
// sweeps run in both protocol eras (2025-11-25, 2026-07-28).

/** What a database or driver error looks like, in the words that would give one away. */
const databaseText =
  /failed query|params:|\bselect\b[\s\S]*\bfrom\b|\binsert into\b|\bdelete from\b|\bwhere\b[\s\S]*=\s*\$\d|invalid input syntax|syntax error at|sqlstate|\b22P02\b|\b22008\b|\bpostgres|pglite|drizzle|\brelation "|\bcolumn "|violates|duplicate key|node_modules|\.ts:\d+:\d+/i;

/** Ids as an attacker or a careless client writes them; PostgreSQL would read some of them as uuids. */
const malformedIds = [
  "not-a-uuid",
  "0",
  "-1",
  "null",
  "' OR '1'='1",
  "1; select pg_sleep(1)--",
  "00000000-0000-0000-0000-00000000000g",
  "7d0b6f0e-6a43-4a47-9d6e-0a5a3c2b1e1",
  "7d0b6f0e6a434a479d6e0a5a3c2b1e11",
  "{7d0b6f0e-6a43-4a47-9d6e-0a5a3c2b1e11}",
  "%00",
  "ä",
  "x".repeat(300),
];

let mcp: TestMcp;
let owner: { token: string };
let agentKey: string;
let projectId: string;
let taskId: string;
let agentId: string;
let tenant: string;

beforeAll(async () => {
  mcp = await startTestMcp();
  const org = await mcp.organization();
  owner = org.owner;
  tenant = org.tenant;
  projectId = org.project.id;
  const agent = await org.agent("sweeper");
  agentKey = agent.key;
  agentId = agent.id;
  taskId = (
    await mcp.api.call<Task>("POST", `/api/projects/${projectId}/tasks`, {
      token: owner.token,
      body: { title: "Swept" },
    })
  ).body.id;
});
afterAll(() => mcp.close());

function assertNoDatabaseText(where: string, text: string) {
  expect(text, where).not.toMatch(databaseText);
}

type OpenApiParameter = { name: string; in: string; schema?: { format?: string; anyOf?: unknown[] } };
type OpenApiDocument = {
  paths: Record<string, Record<string, { parameters?: OpenApiParameter[]; requestBody?: unknown }>>;
};

/** A real id for a path parameter that is not the one under test, so the request gets as far as it can. */
function realIdFor(path: string, name: string): string {
  if (name === "id") {
    if (path.startsWith("/api/projects")) return projectId;
    if (path.startsWith("/api/agents")) return agentId;
    return taskId;
  }
  if (name === "workerId") return agentId;
  return randomUUID();
}

describe("malformed ids on every REST path parameter", () => {
  it("answer 4xx problem+json that names no table, column, statement or driver", async () => {
    const doc = (await (await fetch(`${mcp.api.baseUrl}/openapi.json`)).json()) as OpenApiDocument;
    let requests = 0;
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const params = operation.parameters ?? [];
        const pathParams = params.filter((p) => p.in === "path");
        const uuidQuery = params.filter(
          (p) => p.in === "query" && JSON.stringify(p.schema ?? {}).includes('"format":"uuid"'),
        );
        for (const target of [...pathParams, ...uuidQuery]) {
          // One operation's cases at once (26 requests): the sweep stays well inside its time.
          const cases = malformedIds.flatMap((bad) =>
            [owner.token, agentKey].map((token) => ({ bad, token })),
          );
          await Promise.all(
            cases.map(async ({ bad, token }) => {
              let url = path;
              for (const p of pathParams) {
                const value = p.name === target.name && target.in === "path" ? bad : realIdFor(path, p.name);
                url = url.replace(`{${p.name}}`, encodeURIComponent(value));
              }
              if (target.in === "query") url += `?${target.name}=${encodeURIComponent(bad)}`;
              const res = await fetch(`${mcp.api.baseUrl}${url}`, {
                method: method.toUpperCase(),
                headers: {
                  authorization: `Bearer ${token}`,
                  ...(operation.requestBody ? { "content-type": "application/json" } : {}),
                },
                ...(operation.requestBody ? { body: "{}" } : {}),
                signal: AbortSignal.timeout(10_000),
              });
              const text = await res.text();
              requests++;
              const where = `${method.toUpperCase()} ${url}: ${res.status} ${text.slice(0, 300)}`;
              expect(res.status, where).toBeGreaterThanOrEqual(400);
              expect(res.status, where).toBeLessThan(500);
              expect(res.headers.get("content-type"), where).toMatch(/^application\/problem\+json/);
              assertNoDatabaseText(where, text);
            }),
          );
        }
      }
    }
    expect(requests).toBeGreaterThan(1000);
  }, 180_000);

  it("the event stream: a malformed Last-Event-ID opens nothing that names the database", async () => {
    for (const bad of ["not-a-number", "-1", "1e400", "9".repeat(40), "1; select 1", "0x10"]) {
      const controller = new AbortController();
      const res = await fetch(`${mcp.api.baseUrl}/api/projects/${projectId}/events`, {
        headers: { authorization: `Bearer ${owner.token}`, "last-event-id": bad },
        signal: controller.signal,
      });
      const reader = res.body?.getReader();
      const first = reader
        ? await Promise.race([reader.read(), new Promise<null>((r) => setTimeout(() => r(null), 1_000))])
        : null;
      controller.abort();
      const text = first?.value ? new TextDecoder().decode(first.value) : "";
      const where = `Last-Event-ID ${bad}: ${res.status} ${text.slice(0, 200)}`;
      expect([200, 400], where).toContain(res.status);
      assertNoDatabaseText(where, text);
    }
  });

  it("answers a forged page cursor with 4xx, never the database's words", async () => {
    const forged = [
      ["tasks.created", ["not a date", "not-a-uuid"]],
      ["tasks.created", ["0000-01-01 00:00:00+00", randomUUID()]],
      ["tasks.priority", ["9".repeat(40), "2026-01-01 00:00:00+00", randomUUID()]],
      ["tasks.due", ["infinity", "'; drop table tasks; --"]],
    ] as const;
    for (const [ordering, key] of forged) {
      const cursor = Buffer.from(JSON.stringify({ o: ordering, k: key })).toString("base64url");
      const sort = ordering.split(".")[1];
      const res = await mcp.api.call<{ errors?: { field: string }[] }>(
        "GET",
        `/api/projects/${projectId}/tasks?sort=${sort}&cursor=${cursor}`,
        { token: owner.token },
      );
      const where = `${ordering} ${JSON.stringify(key)}: ${res.status} ${JSON.stringify(res.body)}`;
      expect(res.status, where).toBe(422);
      expect(
        res.body.errors?.map((e) => e.field),
        where,
      ).toEqual(["query.cursor"]);
      assertNoDatabaseText(where, JSON.stringify(res.body));
    }
  });
});

type JsonSchema = {
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  minimum?: number;
  minItems?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
};

/** A value the schema accepts, for the fields that are not under test. */
function sample(schema: JsonSchema): unknown {
  if (schema.anyOf?.[0]) return sample(schema.anyOf.find((s) => s.type !== "null") ?? schema.anyOf[0]);
  if (schema.enum) return schema.enum[0];
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type;
  if (type === "string") {
    if (schema.format === "uuid") return taskId;
    if (schema.format === "date-time") return "2030-01-01T00:00:00Z";
    return "swept";
  }
  if (type === "integer" || type === "number") return schema.minimum ?? 1;
  if (type === "boolean") return false;
  if (type === "array") return schema.minItems && schema.items ? [sample(schema.items)] : [];
  if (type === "object") {
    return Object.fromEntries((schema.required ?? []).map((k) => [k, sample(schema.properties?.[k] ?? {})]));
  }
  return null;
}

/** Every uuid field of a tool's input (top level, inside arrays and unions), as paths to set. */
function uuidFields(schema: JsonSchema, path: string[] = []): string[][] {
  const found: string[][] = [];
  if (schema.format === "uuid") found.push(path);
  for (const alt of schema.anyOf ?? []) found.push(...uuidFields(alt, path));
  if (schema.items) found.push(...uuidFields(schema.items, [...path, "0"]));
  for (const [key, property] of Object.entries(schema.properties ?? {})) {
    found.push(...uuidFields(property, [...path, key]));
  }
  return found;
}

function withValue(args: Record<string, unknown>, path: string[], value: unknown): Record<string, unknown> {
  const copy = structuredClone(args);
  let node: Record<string, unknown> = copy;
  for (const [i, key] of path.entries()) {
    if (i === path.length - 1) {
      node[key] = value;
    } else {
      node[key] ??= /^\d+$/.test(path[i + 1] ?? "") ? [] : {};
      node = node[key] as Record<string, unknown>;
    }
  }
  return copy;
}

describe.each(eras)("malformed ids on every MCP tool, resource and prompt (%s)", (era) => {
  it("every uuid field of every tool: an isError result in the agent's words, not the database's", async () => {
    for (const credential of [agentKey, await mcp.personToken(tenant, randomUUID())]) {
      const client = await mcp.connect(credential, era);
      const { tools } = await client.client.listTools();
      let calls = 0;
      for (const tool of tools) {
        const input = tool.inputSchema as JsonSchema;
        const base = sample(input) as Record<string, unknown>;
        for (const field of uuidFields(input)) {
          for (const bad of [...malformedIds, randomUUID()]) {
            const result = await client.call(tool.name, withValue(base, field, bad));
            calls++;
            const where = `${tool.name} ${field.join(".")}=${bad.slice(0, 40)}: ${result.text.slice(0, 300)}`;
            assertNoDatabaseText(where, result.text);
            // A malformed id is refused by the tool's own schema; a well-formed unknown one may find nothing.
            if (malformedIds.includes(bad)) expect(result.isError, where).toBe(true);
          }
        }
      }
      expect(calls).toBeGreaterThan(100);
      await client.close();
    }
  }, 180_000);

  it("every variable of every resource template: not found, nothing more, for malformed and unknown ids", async () => {
    const client = await mcp.connect(agentKey, era);
    const { resourceTemplates } = await client.client.listResourceTemplates();
    expect(resourceTemplates.length).toBeGreaterThan(0);
    for (const template of resourceTemplates) {
      const variables = [...template.uriTemplate.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);
      for (const variable of variables) {
        for (const bad of [...malformedIds, randomUUID()]) {
          let uri = template.uriTemplate;
          for (const v of variables)
            uri = uri.replace(`{${v}}`, encodeURIComponent(v === variable ? bad : taskId));
          const where = `${uri.slice(0, 80)}`;
          const failure = await client.client.readResource({ uri }).then(
            () => "read",
            (error: Error) => error.message,
          );
          expect(failure, where).toMatch(/Resource .* not found/);
          assertNoDatabaseText(where, failure);
        }
      }
    }
    const known = await client.client.readResource({ uri: `taskflow://tasks/${taskId}` });
    expect(known.contents).toHaveLength(1);
    await client.close();
  });

  it("audits a resource read refused for a key's scope, as the tools and the API do", async () => {
    const org = await mcp.organization();
    const scoped = await org.agent("scoped-reader");
    const other = (
      await mcp.api.call<{ id: string }>("POST", "/api/projects", {
        token: org.owner.token,
        body: { name: "Other" },
      })
    ).body;
    const hidden = (
      await mcp.api.call<Task>("POST", `/api/projects/${other.id}/tasks`, {
        token: org.owner.token,
        body: { title: "Out of scope" },
      })
    ).body;
    await mcp.api.db
      .insert(schema.projectMembers)
      .values({ projectId: other.id, workerId: scoped.id, role: "member" });
    const key = await mcp.api.call<IssuedAgentKey>("POST", `/api/agents/${scoped.id}/keys`, {
      token: org.owner.token,
      body: { scopes: { projectIds: [org.project.id] } },
    });
    const client = await mcp.connect(key.body.key, era);
    const refused = await client.client.readResource({ uri: `taskflow://tasks/${hidden.id}` }).then(
      () => "read",
      (error: Error) => error.message,
    );
    expect(refused).toMatch(/not scoped to project/);
    assertNoDatabaseText("scoped read", refused);
    const rows = await mcp.api.db
      .select()
      .from(schema.auditLog)
      .where(
        and(eq(schema.auditLog.tenantId, org.tenant), eq(schema.auditLog.action, "agent_key.scope_denied")),
      );
    expect(rows.map((r) => [r.actorId, r.projectId, r.channel])).toEqual([[scoped.id, other.id, "mcp"]]);
    await client.close();
  });

  it("every prompt answers in its own words", async () => {
    const client = await mcp.connect(agentKey, era);
    const { prompts } = await client.client.listPrompts();
    for (const prompt of prompts) {
      const args = Object.fromEntries(
        (prompt.arguments ?? []).map((a) => [a.name, malformedIds[0] as string]),
      );
      const answer = await client.client.getPrompt({ name: prompt.name, arguments: args }).then(
        (r) => JSON.stringify(r),
        (error: Error) => error.message,
      );
      assertNoDatabaseText(prompt.name, answer);
    }
    await client.close();
  });
});
