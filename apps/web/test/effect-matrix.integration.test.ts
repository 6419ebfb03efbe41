// The effect × path × caller matrix of the task workflow, generated from core's list of effects and their
// paths (packages/core/src/effects/effect-paths.ts), not typed out here: every path of an effect, driven
// as its real client drives it (REST over HTTP, the MCP SDK client, the dashboard's own mutations), by
// every kind of caller, must come to the same decision. A path added to the list without a driver here
// fails the suite, so a new door cannot be left out.
import type { IssuedAgentKey, Project, Task, Worker } from "@taskflow/contracts";
import {
  type KeyAction,
  permissionKeyAction,
  roleAllows,
  schema,
  type TaskWorkflowEffect,
  taskWorkflowEffects,
} from "@taskflow/core";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mcpResource, startTestMcp, type TestMcp } from "../../mcp-server/test/support/test-mcp.ts";
import { type ApiClient, createApiClient } from "../src/lib/api-client.ts";
import * as m from "../src/lib/mutations.ts";

type Role = "viewer" | "member" | "admin" | "owner";

/** Someone calling: their REST credential, their MCP credential, and what should decide for them. */
interface Caller {
  label: string;
  kind: "person" | "agent";
  /** Their role in the project; null: they cannot see it (another tenant). */
  role: Role | null;
  /** An agent key's actions; null for people. */
  keyActions: KeyAction[] | null;
  restToken: string;
  mcpToken: string;
}

const roles: Role[] = ["viewer", "member", "admin", "owner"];
const defaultActions: KeyAction[] = ["read", "write_tasks", "claim", "comment"];
const everyAction: KeyAction[] = [...defaultActions, "manage"];

let mcp: TestMcp;
let project: Project;
let ownerToken: string;
const callers: Caller[] = [];

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.set(name, value);
  return data;
};

beforeAll(async () => {
  mcp = await startTestMcp();
  const api = mcp.api;
  const orgId = api.newTenant();
  const owner = await api.signIn({ orgId, orgRole: "member" });
  // Registers the agents; an organization owner, so not among the callers (it acts as admin everywhere).
  const orgOwner = await api.signIn({ orgId, orgRole: "owner" });
  ownerToken = owner.token;
  project = (await api.call<Project>("POST", "/api/projects", { token: owner.token, body: { name: "M" } }))
    .body;
  const mcpToken = (sub: string, org: string) =>
    api.issuer.mint({
      orgId: org,
      sub,
      orgRole: "member",
      audience: mcpResource,
      extra: { scope: "openid taskflow:read taskflow:write" },
    });
  for (const role of roles) {
    const person = await api.signIn({ orgId, orgRole: "member" });
    await api.db
      .insert(schema.projectMembers)
      .values({ projectId: project.id, workerId: person.workerId, role });
    callers.push({
      label: `person (${role})`,
      kind: "person",
      role,
      keyActions: null,
      restToken: person.token,
      mcpToken: await mcpToken(person.sub, orgId),
    });
  }
  const agents: [Role, KeyAction[]][] = [
    ["member", defaultActions],
    ["admin", defaultActions],
    ["admin", everyAction],
    ["admin", ["read", "manage"]],
  ];
  for (const [index, [role, actions]] of agents.entries()) {
    const registered = await api.call<{ agent: Worker; apiKey: IssuedAgentKey }>("POST", "/api/agents", {
      token: orgOwner.token,
      body: { handle: `matrix-${index}`, name: `Matrix ${index}`, agentType: "claude-code" },
    });
    await api.db
      .insert(schema.projectMembers)
      .values({ projectId: project.id, workerId: registered.body.agent.id, role });
    const key = await api.call<IssuedAgentKey>("POST", `/api/agents/${registered.body.agent.id}/keys`, {
      token: orgOwner.token,
      body: { scopes: { actions } },
    });
    callers.push({
      label: `agent (${role}, key: ${actions.join("+")})`,
      kind: "agent",
      role,
      keyActions: actions,
      restToken: key.body.key,
      mcpToken: key.body.key,
    });
  }
  const otherOrg = api.newTenant();
  const outsider = await api.signIn({ orgId: otherOrg, orgRole: "owner" });
  callers.push({
    label: "another tenant's owner",
    kind: "person",
    role: null,
    keyActions: null,
    restToken: outsider.token,
    mcpToken: await mcpToken(outsider.sub, otherOrg),
  });
}, 120_000);

afterAll(async () => {
  await mcp?.close();
});

/** Drives one path for one caller on one task; the database says afterwards what happened. */
type Driver = (caller: Caller, taskId: string) => Promise<unknown>;

const rest =
  (method: string, suffix: string, body: Record<string, unknown>): Driver =>
  (caller, taskId) =>
    mcp.api.call(method, `/api/tasks/${taskId}${suffix}`, { token: caller.restToken, body });

const tool =
  (name: string, args: Record<string, unknown> = {}): Driver =>
  async (caller, taskId) => {
    const client = await mcp.connect(caller.mcpToken);
    try {
      return await client.call(name, { taskId, ...args });
    } finally {
      await client.close();
    }
  };

const dashboard =
  (run: (api: ApiClient, taskId: string) => Promise<unknown>): Driver =>
  (caller, taskId) =>
    run(createApiClient(mcp.api.baseUrl, caller.restToken), taskId);

const drivers: Record<TaskWorkflowEffect["paths"][number]["path"], Driver> = {
  "POST /api/tasks/{id}/approve": rest("POST", "/approve", {}),
  "PATCH /api/tasks/{id}/status {completed}": rest("PATCH", "/status", { status: "completed" }),
  taskflow_approve_task: tool("taskflow_approve_task"),
  taskflow_complete_task: tool("taskflow_complete_task"),
  "review panel: Approve": dashboard((api, id) => m.approveTask(api, id, form({}))),
  "board: move to Completed": dashboard((api, id) => m.moveTask(api, id, "completed")),
  "POST /api/tasks/{id}/reject": rest("POST", "/reject", { reason: "Redo it" }),
  "PATCH /api/tasks/{id}/status {in_progress}": rest("PATCH", "/status", { status: "in_progress" }),
  taskflow_reject_task: tool("taskflow_reject_task", { reason: "Redo it" }),
  taskflow_start_task: tool("taskflow_start_task"),
  "review panel: Reject": dashboard((api, id) => m.rejectTask(api, id, form({ reason: "Redo it" }))),
  "board: move to In progress": dashboard((api, id) => m.moveTask(api, id, "in_progress")),
};

/** How each effect is set up, and how the database shows it happened. */
const stages: Record<TaskWorkflowEffect["name"], { from: Task["status"]; happened: Task["status"] }> = {
  approve: { from: "review", happened: "completed" },
  reject: { from: "review", happened: "in_progress" },
};

/** The rule, from the same tables core decides with: the role must allow it, and a key must carry it. */
function allowed(effect: TaskWorkflowEffect, caller: Caller): boolean {
  if (!caller.role || !roleAllows(caller.role, effect.permission)) return false;
  return caller.keyActions === null || caller.keyActions.includes(permissionKeyAction[effect.permission]);
}

async function taskIn(status: Task["status"]): Promise<string> {
  const created = await mcp.api.call<Task>("POST", `/api/projects/${project.id}/tasks`, {
    token: ownerToken,
    body: { title: "Matrix" },
  });
  await mcp.api.db.update(schema.tasks).set({ status }).where(eq(schema.tasks.id, created.body.id));
  return created.body.id;
}

async function statusOf(taskId: string): Promise<string | undefined> {
  const [row] = await mcp.api.db.select().from(schema.tasks).where(eq(schema.tasks.id, taskId));
  return row?.status;
}

const cases = taskWorkflowEffects.flatMap((effect) =>
  effect.paths.map((path) => ({ effect, path, label: `${effect.name} via ${path.transport} ${path.path}` })),
);

describe("every path to an effect has a driver", () => {
  it("drives each path the list names, and only those", () => {
    expect(Object.keys(drivers).sort()).toEqual(cases.map((c) => c.path.path).sort());
  });
});

describe.each(cases)("$label", ({ effect, path }) => {
  it("happens exactly for the callers the rule allows", async () => {
    const stage = stages[effect.name];
    const outcomes: string[] = [];
    const expected: string[] = [];
    // The dashboard is a person's; agents reach the same routes through REST.
    for (const caller of callers.filter((c) => path.transport !== "dashboard" || c.kind === "person")) {
      const taskId = await taskIn(stage.from);
      await drivers[path.path](caller, taskId);
      const happened = (await statusOf(taskId)) === stage.happened;
      outcomes.push(`${caller.label}: ${happened ? "happened" : "refused"}`);
      expected.push(`${caller.label}: ${allowed(effect, caller) ? "happened" : "refused"}`);
    }
    expect(outcomes).toEqual(expected);
  });
});
