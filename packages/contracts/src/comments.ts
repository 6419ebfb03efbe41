import { z } from "@hono/zod-openapi";
import { Cursor, Id, PageLimit, page, requiredText, Timestamp } from "./common.ts";
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

/**
 * The refinement below, published: `progress` only with `kind: progress` (JSON Schema if / then, which
 * the metadata type does not list, so it travels in a variable rather than a literal).
 */
const progressOnlyOnProgressNotes = {
  description: "A note, or a progress note carrying `progress` (only those carry it)",
  if: { required: ["progress"] },
  // biome-ignore lint/suspicious/noThenProperty: JSON Schema's `then` keyword; this object is never awaited.
  then: { required: ["kind"], properties: { kind: { const: "progress" } } },
};

export const CommentCreate = z
  .strictObject({
    body: requiredText(10_000),
    kind: CommentKind.default("note"),
    progress: z.number().int().min(0).max(100).optional().openapi({ description: "For progress notes" }),
  })
  .refine((v) => v.progress === undefined || v.kind === "progress", {
    message: "only a progress note (kind: progress) carries a progress",
    path: ["progress"],
  })
  // The same rule, published: `progress` only with `kind: progress`.
  .openapi("CommentCreate", progressOnlyOnProgressNotes);
export type CommentCreate = z.infer<typeof CommentCreate>;

export const CommentListQuery = z.strictObject({ limit: PageLimit, cursor: Cursor.optional() });
export type CommentListQuery = z.infer<typeof CommentListQuery>;
export const CommentPage = page(Comment, "CommentPage");
export type CommentPage = z.infer<typeof CommentPage>;
