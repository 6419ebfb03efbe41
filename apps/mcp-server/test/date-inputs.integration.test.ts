import type { Task } from "@taskflow/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestMcp, type TestMcp } from "./support/test-mcp.ts";

// Every date input, in a body or a query, over REST and MCP, lies in the years 1900 to 9999 (UTC): one schema,
// contracts' DateInput (issue 12, finding 13: `?dueBefore=0000-01-01T00:00:00Z` answered 500, PostgreSQL's
// 22008, and MCP an internal error). The fields are read from what the servers publish, every `date-time`
// of /openapi.json's parameters and request bodies and of every tool's input schema, so a new date field is
// held to the rule without this file changing.

/** Well-formed dates outside the range: before 1900, year 0, and a last-day-of-9999 that is 10000 in UTC. */
const outside = [
  "1899-12-31T23:59:59.999Z",
  "0000-01-01T00:00:00Z",
  "0001-06-01T00:00:00Z",
  "9999-12-31T23:30:00-01:00",
];
/** The first and last moments of the range, whatever offset they are written in. */
const inside = ["1900-01-01T00:00:00Z", "1900-01-01T01:00:00+01:00", "9999-12-31T23:59:59.999Z"];

let mcp: TestMcp;
let ownerToken: string;
let agentKey: string;
let projectId: string;
let taskId: string;

beforeAll(async () => {
  mcp = await startTestMcp();
  const org = await mcp.organization();
  ownerToken = org.owner.token;
  projectId = org.project.id;
  agentKey = (await org.agent("dater")).key;
  taskId = (
    await mcp.api.call<Task>("POST", `/api/projects/${projectId}/tasks`, {
      token: ownerToken,
      body: { title: "Dated", dueAt: "2030-01-01T00:00:00Z" },
    })
  ).body.id;
});
afterAll(() => mcp.close());

type Schema = {
  $ref?: string;
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  minimum?: number;
  minItems?: number;
  minLength?: number;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  anyOf?: Schema[];
  allOf?: Schema[];
  oneOf?: Schema[];
};
type Operation = {
  parameters?: { name: string; in: string; required?: boolean; schema?: Schema }[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
};
type Document = {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
};

function resolve(doc: Document, schema: Schema): Schema {
  if (!schema.$ref) return schema;
  return resolve(doc, doc.components?.schemas?.[schema.$ref.split("/").at(-1) ?? ""] ?? {});
}

function isDate(doc: Document, schema: Schema): boolean {
  const s = resolve(doc, schema);
  return s.format === "date-time" || [...(s.anyOf ?? []), ...(s.oneOf ?? [])].some((alt) => isDate(doc, alt));
}

/** The date-time fields of a body schema, by name (the task bodies keep them at the top level). */
function bodyDateFields(doc: Document, schema: Schema): string[] {
  const s = resolve(doc, schema);
  return Object.entries(s.properties ?? {})
    .filter(([, property]) => isDate(doc, property))
    .map(([name]) => name);
}

/** A value the schema accepts, for the fields that are not under test. */
function sample(doc: Document, schema: Schema): unknown {
  const s = resolve(doc, schema);
  const alt = [...(s.anyOf ?? []), ...(s.oneOf ?? []), ...(s.allOf ?? [])].find(
    (a) => resolve(doc, a).type !== "null",
  );
  if (alt) return sample(doc, alt);
  if (s.enum) return s.enum[0];
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== "null") : s.type;
  if (type === "string") return s.format === "uuid" ? taskId : s.format === "date-time" ? inside[0] : "dated";
  if (type === "integer" || type === "number") return s.minimum ?? 1;
  if (type === "boolean") return false;
  if (type === "array") return [];
  if (type === "object") {
    return Object.fromEntries((s.required ?? []).map((k) => [k, sample(doc, s.properties?.[k] ?? {})]));
  }
  return null;
}

interface DateCase {
  label: string;
  send(value: string): Promise<{ status: number; body: { code?: string; errors?: { field: string }[] } }>;
  field: string;
}

async function restDateCases(): Promise<DateCase[]> {
  const doc = (await (await fetch(`${mcp.api.baseUrl}/openapi.json`)).json()) as Document;
  const cases: DateCase[] = [];
  for (const [path, operations] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const url = path.replace(/\{(\w+)\}/g, () => (path.startsWith("/api/projects") ? projectId : taskId));
      for (const param of operation.parameters ?? []) {
        if (param.in !== "query" || !param.schema || !isDate(doc, param.schema)) continue;
        cases.push({
          label: `${method.toUpperCase()} ${path}?${param.name}`,
          field: `query.${param.name}`,
          send: (value) =>
            mcp.api.call(method.toUpperCase(), `${url}?${param.name}=${encodeURIComponent(value)}`, {
              token: ownerToken,
            }),
        });
      }
      const bodySchema = operation.requestBody?.content?.["application/json"]?.schema;
      if (!bodySchema) continue;
      for (const name of bodyDateFields(doc, bodySchema)) {
        const base = sample(doc, bodySchema) as Record<string, unknown>;
        cases.push({
          label: `${method.toUpperCase()} ${path} body.${name}`,
          field: `body.${name}`,
          send: (value) =>
            mcp.api.call(method.toUpperCase(), url, { token: ownerToken, body: { ...base, [name]: value } }),
        });
      }
    }
  }
  return cases;
}

describe("every date input of the REST API", () => {
  it("refuses a well-formed date outside 1900-9999 with 422 naming the field, and takes the range's edges", async () => {
    const cases = await restDateCases();
    // Today: dueAt on create, subtask and update, dueBefore and dueAfter on the task list.
    expect(cases.map((c) => c.label).sort()).toEqual(
      expect.arrayContaining([
        "GET /api/projects/{id}/tasks?dueAfter",
        "GET /api/projects/{id}/tasks?dueBefore",
        "PATCH /api/tasks/{id} body.dueAt",
        "POST /api/projects/{id}/tasks body.dueAt",
        "POST /api/tasks/{id}/subtasks body.dueAt",
      ]),
    );
    for (const c of cases) {
      for (const value of outside) {
        const res = await c.send(value);
        const where = `${c.label}=${value}: ${res.status} ${JSON.stringify(res.body)}`;
        expect(res.status, where).toBe(422);
        expect(res.body.code, where).toBe("invalid_input");
        expect(
          res.body.errors?.map((e) => e.field),
          where,
        ).toEqual([c.field]);
      }
      for (const value of inside) {
        const res = await c.send(value);
        expect(res.status, `${c.label}=${value}: ${res.status} ${JSON.stringify(res.body)}`).toBeLessThan(
          300,
        );
      }
    }
  });
});

type ToolSchema = Schema & { properties?: Record<string, Schema> };

describe("every date input of the MCP tools", () => {
  it("refuses a date outside 1900-9999 naming the field, never an internal error, and takes the range's edges", async () => {
    const client = await mcp.connect(agentKey);
    const { tools } = await client.client.listTools();
    const doc: Document = { paths: {} };
    let dateFields = 0;
    for (const tool of tools) {
      const input = tool.inputSchema as ToolSchema;
      for (const [name, property] of Object.entries(input.properties ?? {})) {
        if (!isDate(doc, property)) continue;
        dateFields++;
        const base = sample(doc, input) as Record<string, unknown>;
        if ("projectId" in base) base.projectId = projectId;
        if ("parentId" in base) base.parentId = taskId;
        for (const value of outside) {
          const result = await client.call(tool.name, { ...base, [name]: value });
          const where = `${tool.name}.${name}=${value}: ${result.text}`;
          expect(result.isError, where).toBe(true);
          // The range and the field, in whatever order the SDK's validation message puts them.
          expect(result.text, where).toMatch(/1900-01-01 and 9999-12-31/);
          expect(result.text, where).toMatch(new RegExp(`\\b${name}\\b`));
          expect(result.text, where).not.toMatch(/internal error|Failed query|22008/);
        }
        for (const value of inside) {
          const result = await client.call(tool.name, { ...base, [name]: value });
          expect(result.isError, `${tool.name}.${name}=${value}: ${result.text}`).toBe(false);
        }
      }
    }
    // add_task, add_subtask, update_task (dueAt), list_tasks (dueBefore, dueAfter).
    expect(dateFields).toBeGreaterThanOrEqual(5);
    await client.close();
  });
});
