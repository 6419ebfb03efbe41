import { TaskChainLink } from "@taskflow/contracts";
import { getTaskChain } from "@taskflow/core";
import { z } from "zod";
import { taskId } from "./fields.ts";
import { defineTool } from "./tool-kit.ts";

export const taskChainTool = defineTool({
  name: "taskflow_task_chain",
  action: "project.read",
  title: "Delegation chain of a task",
  description:
    "The chain from the root task down to this one: each task's status, assignee and the agent that " +
    "delegated it. Delegation is capped in depth, so check it before splitting work off further.",
  input: z.object({ taskId }),
  output: z.object({ chain: z.array(TaskChainLink) }),
  annotations: { readOnlyHint: true, idempotentHint: true },
  run: async ({ db, actor }, { taskId: id }) => ({ chain: await getTaskChain(db, actor, id) }),
  summarize: ({ chain }) =>
    chain
      .map(
        (link, depth) =>
          `${"  ".repeat(depth)}${link.title} [${link.status}] → ${link.assignee?.handle ?? "unassigned"}` +
          (link.delegatedById ? ` (delegated by ${link.delegatedById})` : ""),
      )
      .join("\n"),
});
