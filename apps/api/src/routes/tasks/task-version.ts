import { z } from "@hono/zod-openapi";

/**
 * Optimistic concurrency for task changes: a task's `ETag` is its version; a change sent with
 * `If-Match: "<version>"` is refused with 412 when someone changed the task in between.
 */
export const IfMatchHeaders = z.object({
  "if-match": z
    .string()
    .regex(/^(W\/)?"?\d{1,9}"?$/, 'the task version as its ETag gave it, e.g. "3"')
    .optional()
    .openapi({
      param: { name: "if-match", in: "header" },
      description: "Only change the task if it is still at this version (its ETag); otherwise 412",
      example: '"3"',
    }),
});

export function expectedVersion(headers: { "if-match"?: string | undefined }): number | undefined {
  const value = headers["if-match"];
  return value === undefined ? undefined : Number(value.replace(/\D/g, ""));
}

export function taskETag(task: { version: number }): string {
  return `"${task.version}"`;
}

export const etagHeader = {
  ETag: { description: "The task's version, for `If-Match`", schema: { type: "string" as const } },
};
