// Test data for the dashboard's pure functions: a Task as the API returns it, with only what a test sets changed.
import type { Task, WorkerSummary } from "@taskflow/contracts";

export const ada: WorkerSummary = {
  id: "00000000-0000-4000-8000-000000000001",
  kind: "human",
  handle: "@ada",
  name: "Ada",
};
export const bot: WorkerSummary = {
  id: "00000000-0000-4000-8000-000000000002",
  kind: "agent",
  handle: "@bot",
  name: "Bot",
};

let counter = 0;
export function task(values: Partial<Task> = {}): Task {
  counter += 1;
  return {
    id: `00000000-0000-4000-9000-${String(counter).padStart(12, "0")}`,
    projectId: "p1",
    parentId: null,
    title: `Task ${counter}`,
    description: "",
    status: "pending",
    priority: "medium",
    progress: 0,
    tags: [],
    dueAt: null,
    assignee: null,
    creator: ada,
    startedAt: null,
    completedAt: null,
    recurrence: null,
    requiredCapabilities: [],
    claim: null,
    stop: null,
    delegatedById: null,
    dependsOn: [],
    blockedBy: [],
    version: 1,
    createdAt: "2026-01-01T00:00:00.000Z",
    updatedAt: "2026-01-01T00:00:00.000Z",
    ...values,
  };
}
