import type { Task } from "@taskflow/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowsMentioning, tenantSnapshot } from "../../api/test/support/tenant-snapshot.ts";
import { type Era, eras, startTestMcp, type TestMcp } from "./support/test-mcp.ts";

/**
 * Tenant B's agent (and B's org owner) call every MCP tool on tenant A's objects. The tools and
 * their arguments are read from the server's own tool list, so a tool added later is covered
 * without touching this file: each id argument in turn gets one of A's ids while the rest are B's
 * own, valid ones. Every such call is an isError result (not found where the id is the object
 * acted on), no answer carries anything of A's, A's rows are unchanged afterwards, and none of
 * B's rows points at A's objects. The task resource is tried the same way. The whole matrix runs in both
 * protocol eras (2025-11-25, 2026-07-28), and each refusal must mean the same in both.
 */

let mcp: TestMcp;
beforeAll(async () => {
  mcp = await startTestMcp();
});
afterAll(() => mcp.close());

type JsonSchema = {
  type?: string | string[];
  format?: string;
  pattern?: string;
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  minLength?: number;
  minItems?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
};

/** Everything tenant A owns, made through the API and the MCP server. */
async function tenantA(era: Era) {
  const org = await mcp.organization();
  const { api } = mcp;
  const colleague = await api.signIn({ orgId: org.tenant, orgRole: "member", name: "Carol Secret" });
  await api.call("POST", `/api/projects/${org.project.id}/members`, {
    token: org.owner.token,
    body: { workerId: colleague.workerId, role: "member" },
  });
  const agent = await org.agent("a-secret-agent");
  const client = await mcp.connect(agent.key, era);
  const add = async (name: string, args: Record<string, unknown>) => {
    const result = await client.call<Task>(name, args);
    expect(result.isError, result.text).toBe(false);
    return result.data;
  };
  const task = await add("taskflow_add_task", {
    projectId: org.project.id,
    title: "Tenant A secret task",
    assigneeId: colleague.workerId,
  });
  const subtask = await add("taskflow_add_subtask", { parentId: task.id, title: "Tenant A secret subtask" });
  const claimable = await add("taskflow_add_task", {
    projectId: org.project.id,
    title: "Tenant A secret claim",
  });
  const claimed = await client.call<{ task: Task }>("taskflow_claim_task", { taskId: claimable.id });
  expect(claimed.isError, claimed.text).toBe(false);
  const comment = await client.call<{ id: string }>("taskflow_add_comment", {
    taskId: task.id,
    body: "Tenant A secret comment",
  });
  expect(comment.isError, comment.text).toBe(false);
  // The claim opened a run; a question on it (its answer is what `answers` and `questionId` name).
  const question = await client.call<{ run: { id: string }; activity: { id: string } }>(
    "taskflow_post_activity",
    {
      taskId: claimable.id,
      type: "elicitation",
      body: "Tenant A secret question",
      choices: [
        { value: "a", label: "Secret A" },
        { value: "b", label: "Secret B" },
      ],
    },
  );
  expect(question.isError, question.text).toBe(false);
  await client.close();
  return {
    tenant: org.tenant,
    project: org.project,
    agent,
    colleague,
    task,
    subtask,
    claimable,
    commentId: comment.data.id,
    runId: question.data.run.id,
    questionId: question.data.activity.id,
  };
}

/** Tenant B: an owner, a project, an agent member with a key, a task of its own. */
async function tenantB(era: Era) {
  const org = await mcp.organization();
  const agent = await org.agent("b-agent");
  const client = await mcp.connect(agent.key, era);
  const created = await client.call<Task>("taskflow_add_task", {
    projectId: org.project.id,
    title: "B's task",
  });
  expect(created.isError, created.text).toBe(false);
  await client.close();
  return { tenant: org.tenant, owner: org.owner, project: org.project, agent, task: created.data };
}

type A = Awaited<ReturnType<typeof tenantA>>;
type B = Awaited<ReturnType<typeof tenantB>>;

/** The id of one's own a property named `name` refers to. */
function idOf(
  who: { project: { id: string }; task: { id: string }; runId?: string; questionId?: string },
  workerId: string,
  name: string,
) {
  if (name === "projectId") return who.project.id;
  if (/^(taskId|parentId|dependsOnId)$/.test(name)) return who.task.id;
  if (/^(assigneeId|workerId|agentId|askedOfId)$/.test(name)) return workerId;
  if (name === "runId") return who.runId;
  if (/^(answers|questionId)$/.test(name)) return who.questionId;
  return undefined;
}
const aId = (a: A, name: string) => idOf(a, a.colleague.workerId, name);
const bId = (b: B, name: string) => idOf(b, b.agent.id, name);

function isIdProperty(name: string, s: JsonSchema): boolean {
  const options = [s, ...(s.anyOf ?? []), ...(s.oneOf ?? [])];
  return /Id$/.test(name) || options.some((o) => o.format === "uuid");
}

/** A minimal valid value for a non-id property. */
function sample(s: JsonSchema): unknown {
  const options = s.anyOf ?? s.oneOf;
  if (options?.length) return sample(options.find((o) => o.type !== "null") ?? options[0] ?? {});
  if (s.const !== undefined) return s.const;
  if (s.enum?.length) return s.enum[0];
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== "null") : s.type;
  switch (type) {
    case "string":
      if (s.format === "date-time") return new Date(Date.now() + 86_400_000).toISOString();
      return "x".repeat(Math.max(s.minLength ?? 1, 1));
    case "integer":
    case "number":
      return Math.max(s.minimum ?? 1, 1);
    case "boolean":
      return true;
    case "array":
      return s.minItems ? [sample(s.items ?? {})] : [];
    case "object":
      return Object.fromEntries((s.required ?? []).map((k) => [k, sample(s.properties?.[k] ?? {})]));
    default:
      return "x";
  }
}

interface Attempt {
  tool: string;
  args: Record<string, unknown>;
  /** The property that carries A's id, if any. */
  targets?: string;
  /** A's id is the object the tool acts on: only "not found" will do. */
  primary: boolean;
  readOnly: boolean;
}

interface ListedTool {
  name: string;
  inputSchema: JsonSchema;
  annotations?: { readOnlyHint?: boolean };
}

/** Per tool: B's own valid arguments, then one variant per id property carrying A's id instead. */
function attempts(tools: ListedTool[], a: A, b: B): Attempt[] {
  const list: Attempt[] = [];
  for (const tool of tools) {
    const readOnly = tool.annotations?.readOnlyHint === true;
    const props = tool.inputSchema.properties ?? {};
    const required = new Set(tool.inputSchema.required ?? []);
    const base: Record<string, unknown> = {};
    for (const [name, s] of Object.entries(props)) {
      if (isIdProperty(name, s)) {
        if (required.has(name)) base[name] = bId(b, name);
      } else if (required.has(name)) {
        base[name] = sample(s);
      }
    }
    // Without A's ids: only B's own scope is touched; still checked for leaks.
    list.push({ tool: tool.name, args: base, primary: false, readOnly });
    const ids = Object.keys(props).filter((name) => isIdProperty(name, props[name] ?? {}));
    for (const name of ids) {
      const foreign = aId(a, name);
      if (!foreign) throw new Error(`${tool.name}: no id of A's for ${name}; teach idOf() about it`);
      // The first id a tool names is what it acts on (taskId, projectId, parentId).
      list.push({
        tool: tool.name,
        args: { ...base, [name]: foreign },
        targets: name,
        primary: name === ids[0],
        readOnly,
      });
    }
  }
  return list;
}

/** Per era, what each cross-tenant attempt got (ids left out): refusals must mean the same in both eras. */
const outcomes = new Map<Era, Map<string, string>>();

describe.each(eras)("tenant isolation through MCP (%s)", (era) => {
  it("lets tenant B reach nothing of tenant A through any tool, and changes nothing of A's", async () => {
    const a = await tenantA(era);
    const b = await tenantB(era);
    const seen = new Map<string, string>();
    outcomes.set(era, seen);
    const aIds = [
      a.project.id,
      a.task.id,
      a.subtask.id,
      a.claimable.id,
      a.commentId,
      a.agent.id,
      a.colleague.workerId,
      a.runId,
      a.questionId,
    ];
    const secrets = [...aIds, "Secret", "secret"];
    const before = await tenantSnapshot(mcp.api.db, a.tenant);
    expect(Object.values(before).flat().length).toBeGreaterThan(15);

    const failures: string[] = [];
    let calls = 0;
    let refused = 0;
    const callers = [
      { who: "B's agent", credential: b.agent.key },
      { who: "B's org owner", credential: await mcp.personToken(b.tenant, b.owner.sub) },
    ];
    for (const caller of callers) {
      const client = await mcp.connect(caller.credential, era);
      const { tools } = await client.client.listTools();
      expect(tools.length).toBeGreaterThan(20);
      const all = attempts(tools as ListedTool[], a, b);
      for (const attempt of all) {
        calls++;
        const result = await client.call(attempt.tool, attempt.args);
        const label = `${caller.who}: ${attempt.tool} ${JSON.stringify(attempt.args)} → ${result.isError ? "error" : "ok"}: ${result.text.slice(0, 160)}`;
        if (attempt.targets) {
          // A read-only tool may treat a foreign id in a filter as matching nothing (checked for
          // leaks below); anything that acts on it, or any tool acting on it, must refuse.
          if (!result.isError && !(attempt.readOnly && !attempt.primary)) {
            failures.push(`${label} (expected a refusal)`);
          } else if (result.isError && attempt.primary && !/not found/i.test(result.text)) {
            failures.push(`${label} (expected not found)`);
          } else if (result.isError) refused++;
        }
        if (attempt.targets) {
          seen.set(`${caller.who}: ${attempt.tool} ${attempt.targets}`, `${result.isError}: ${result.text}`);
        }
        const answer = `${result.text}\n${JSON.stringify(result.data ?? null)}`;
        const leaked = secrets.filter((s) => answer.includes(s));
        if (leaked.length) failures.push(`${label} leaked ${leaked.join(", ")}`);
      }
      // The task resource, addressed by A's task id.
      for (const id of [a.task.id, a.subtask.id]) {
        calls++;
        const read = await client.client.readResource({ uri: `taskflow://tasks/${id}` }).then(
          (r) => `read: ${JSON.stringify(r)}`,
          // The v1 and v2 clients word a JSON-RPC error differently; its code and message are what was answered.
          (e: unknown) => {
            const { code, message } = e as { code?: unknown; message?: unknown };
            return `error: ${String(code)} ${String(message).replace(/^MCP error -?\d+: /, "")}`;
          },
        );
        seen.set(
          `${caller.who}: resource ${id === a.task.id ? "task" : "subtask"}`,
          read.replace(id, "<id>"),
        );
        if (!read.startsWith("error:") || !/not found/i.test(read)) {
          failures.push(`${caller.who}: resource taskflow://tasks/${id} → ${read.slice(0, 160)}`);
        } else refused++;
        const leaked = secrets.filter((s) => s !== id && read.includes(s));
        if (leaked.length) failures.push(`${caller.who}: resource ${id} leaked ${leaked.join(", ")}`);
      }
      await client.close();
    }
    process.stdout.write(
      `[mcp tenant matrix ${era}] ${calls} calls, ${refused} cross-tenant calls refused\n`,
    );

    expect(failures).toEqual([]);
    expect(await tenantSnapshot(mcp.api.db, a.tenant)).toEqual(before);
    expect(await rowsMentioning(mcp.api.db, b.tenant, aIds)).toEqual([]);
    // Two callers times every tool and id: over a minute on a loaded machine.
  }, 120_000);
});

describe("tenant isolation in both eras", () => {
  it("refuses every cross-tenant attempt with the same answer in 2025-11-25 and 2026-07-28", () => {
    const [older, newer] = eras.map((era) => outcomes.get(era));
    expect(older?.size).toBeGreaterThan(40);
    expect(newer).toEqual(older);
  });
});
