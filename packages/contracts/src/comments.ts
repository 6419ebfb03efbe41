import { z } from "@hono/zod-openapi";
import { Id, Timestamp } from "./common.ts";
import { WorkerSummary } from "./workers.ts";

export const CommentKind = z.enum(["note", "progress"]).openapi("CommentKind");

export const Comment = z
  .object({
    id: Id,
    taskId: Id,
    author: WorkerSummary,
    kind: CommentKind,
    body: z.string(),
    progress: z.number().int().nullable(),
    createdAt: Timestamp,
  })
  .openapi("Comment");
export type Comment = z.infer<typeof Comment>;

export const CommentCreate = z
  .strictObject({
    body: z.string().trim().min(1).max(10_000),
    kind: CommentKind.default("note"),
    progress: z.number().int().min(0).max(100).optional().openapi({ description: "For progress notes" }),
  })
  .openapi("CommentCreate");
export type CommentCreate = z.infer<typeof CommentCreate>;
