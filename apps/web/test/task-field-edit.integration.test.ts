// Editing one field in place (src/lib/task-field-edit.ts, what the inline editors and the palette run) against
// the real API in this process on a real database: each of the six fields is saved with If-Match, and an edit
// that starts from an old version is refused and told which fields changed and what they hold now.
import type { Project, Task, Worker } from "@taskflow/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApi, type TestApi } from "../../api/test/support/test-api.ts";
import { type ApiClient, createApiClient } from "../src/lib/api-client.ts";
import { snapshotOf } from "../src/lib/task-conflict.ts";
import { editTaskField } from "../src/lib/task-field-edit.ts";

let api: TestApi;
let owner: ApiClient;
let bobId: string;
let project: Project;

async function data<T>(promise: Promise<{ ok: true; data: T } | { ok: false }>): Promise<T> {
  const result = await promise;
  if (!result.ok) throw new Error(`expected success, got ${JSON.stringify(result)}`);
  return result.data;
}

beforeAll(async () => {
  api = await startTestApi();
  const orgId = api.newTenant();
  const ada = await api.signIn({ orgId, orgRole: "owner", name: "Ada" });
  const bob = await api.signIn({ orgId, orgRole: "member", name: "Bob" });
  owner = createApiClient(api.baseUrl, ada.token);
  bobId = bob.workerId;
  project = await data(owner.call<Project>("/api/projects", { method: "POST", body: { name: "Inline" } }));
  await data(
    owner.call(`/api/projects/${project.id}/members`, {
      method: "POST",
      body: { workerId: bobId, role: "member" },
    }),
  );
}, 120_000);

afterAll(async () => {
  await api?.close();
});

const newTask = (title: string) =>
  data(owner.call<Task>(`/api/projects/${project.id}/tasks`, { method: "POST", body: { title } }));

describe("editing one field in place", () => {
  it("saves each of the six fields, each on the version it started from", async () => {
    let task = await newTask("Fuel check");
    const steps: [Parameters<typeof editTaskField>[2], string, (t: Task) => unknown, unknown][] = [
      ["title", "  Fuel and oxygen check ", (t) => t.title, "Fuel and oxygen check"],
      ["status", "in_progress", (t) => t.status, "in_progress"],
      ["priority", "critical", (t) => t.priority, "critical"],
      ["assignee", bobId, (t) => t.assignee?.id, bobId],
      ["dueAt", "2026-05-01T09:30", (t) => t.dueAt, "2026-05-01T09:30:00.000Z"],
      ["tags", "launch, fuel", (t) => t.tags, ["launch", "fuel"]],
      ["assignee", "", (t) => t.assignee, null],
      ["dueAt", "", (t) => t.dueAt, null],
    ];
    for (const [field, raw, read, expected] of steps) {
      const result = await editTaskField(owner, snapshotOf(task), field, raw);
      if (!result.ok) throw new Error(`${field}: ${result.message}`);
      expect(read(result.task)).toEqual(expected);
      expect(result.task.version).toBeGreaterThan(task.version);
      task = result.task;
    }
  });

  it("refuses an edit from an old version and names what changed meanwhile, with the new values", async () => {
    const seen = await newTask("Check the seals");
    // Someone else changes the task after the person opened it.
    const other = await data(
      owner.call<Task>(`/api/tasks/${seen.id}`, {
        method: "PATCH",
        body: { priority: "high", tags: ["seals"] },
        headers: { "if-match": `"${seen.version}"` },
      }),
    );
    await data(
      owner.call<Task>(`/api/tasks/${seen.id}/assign`, {
        method: "PATCH",
        body: { assigneeId: bobId },
        headers: { "if-match": `"${other.version}"` },
      }),
    );
    const edits = { title: "Seals checked", status: "in_progress", assignee: "" } as const;
    for (const [field, raw] of Object.entries(edits) as [keyof typeof edits, string][]) {
      const result = await editTaskField(owner, snapshotOf(seen), field, raw);
      if (result.ok || !result.conflict)
        throw new Error(`${field}: expected a conflict, got ${JSON.stringify(result)}`);
      expect(result.conflict?.map((c) => [c.field, c.now])).toEqual([
        ["priority", "High"],
        ["assignee", "Bob"],
        ["tags", "#seals"],
      ]);
      expect(result.message).toContain("Priority is now High; Assignee is now Bob; Tags is now #seals");
    }
    const now = await data(owner.call<Task>(`/api/tasks/${seen.id}`));
    expect(now.title).toBe("Check the seals");
    expect(now.status).toBe("pending");
  });

  it("passes the API's refusal of a bad value on in words, without a conflict", async () => {
    const task = await newTask("Name me");
    const result = await editTaskField(owner, snapshotOf(task), "title", "   ");
    expect(result.ok).toBe(false);
    expect(!result.ok && result.conflict).toBeUndefined();
    const me = await data(owner.call<Worker>("/api/workers/me"));
    expect(me.name).toBe("Ada");
  });
});
