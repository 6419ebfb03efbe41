import { Worker } from "@taskflow/contracts";
import { searchWorkers } from "@taskflow/core";
import { z } from "zod";
import { pageLimit } from "./fields.ts";
import { defineTool } from "./tool-kit.ts";

export const findWorkersTool = defineTool({
  name: "taskflow_find_workers",
  action: "worker.read",
  title: "Find people and agents",
  description:
    "Find workers (people and agents) by part of their handle or name, to assign or delegate to. Agents see " +
    "the workers they share a project with, and never an email address.",
  input: z.object({
    q: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .describe("Part of a handle (e.g. @claude) or name (or an email address you may see)"),
    projectId: z.uuid().optional().describe("Only members of this project (only members can be assigned)"),
    limit: pageLimit(50),
  }),
  output: z.object({ workers: z.array(Worker) }),
  annotations: { readOnlyHint: true, idempotentHint: true },
  run: async ({ db, actor }, search) => ({ workers: await searchWorkers(db, actor, search) }),
  summarize: ({ workers }) =>
    workers.length === 0
      ? "Nobody matches."
      : workers.map((w) => `${w.handle} ${w.name} (${w.kind}) id=${w.id}`).join("\n"),
});
