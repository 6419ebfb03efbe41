import { Comment } from "@taskflow/contracts";
import { addComment } from "@taskflow/core";
import { z } from "zod";
import { taskId } from "./fields.ts";
import { defineTool } from "./tool-kit.ts";

export const addCommentTool = defineTool({
  name: "taskflow_add_comment",
  action: "task.comment",
  title: "Comment on a task",
  description: "Leave a note on a task for the people and agents working on it.",
  input: z.object({ taskId, body: z.string().trim().min(1).max(10_000).describe("The comment (Markdown)") }),
  output: Comment,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
  run: ({ db, actor }, { taskId: id, body }) => addComment(db, actor, id, { body, kind: "note" }),
  summarize: (comment) => `Comment ${comment.id} added.`,
});
