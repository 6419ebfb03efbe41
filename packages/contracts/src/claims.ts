import { z } from "@hono/zod-openapi";
import { Id, requiredText, Timestamp } from "./common.ts";
import { RunActivity } from "./runs.ts";
import { Task } from "./tasks.ts";

export const ClaimNext = z
  .strictObject({
    projectId: Id.optional().openapi({ description: "Only this project; otherwise any of yours" }),
  })
  .openapi("ClaimNext");

export const ClaimNextAnswer = z
  .object({
    // The task now yours, or null when none is claimable. A union, not `.nullable()`: a nullable
    // reference is published as `allOf: [Task, {type: [object, null]}]`, which admits no null.
    task: z.union([Task, z.null()]),
  })
  .openapi("ClaimNextAnswer");

export const HeartbeatInput = z
  .strictObject({
    progress: z.number().int().min(0).max(100).optional(),
    note: requiredText(5000).optional().openapi({ description: "Kept as a progress comment" }),
  })
  .openapi("Heartbeat");

export const HeartbeatAnswer = z
  .object({
    task: Task,
    action: z
      .enum(["continue", "stop"])
      .openapi({ description: "`stop`: a person asked you to stop; acknowledge it" }),
    leaseExpiresAt: Timestamp,
    runId: Id.nullable().openapi({
      description: "Your run on this task (agents), where prompts and answers arrive",
    }),
    prompts: z.array(RunActivity).openapi({
      description:
        "What people told you on that run since you last read its prompts (messages, answers, a stop), oldest " +
        "first; read them with taskflow_read_prompts (or GET /api/runs/{id}/activities) to mark them read",
    }),
  })
  .openapi("HeartbeatAnswer");

export const StopRequest = z.strictObject({ reason: requiredText(2000).optional() }).openapi("StopRequest");

export const StopAcknowledgement = z
  .strictObject({ note: requiredText(5000).optional() })
  .openapi("StopAcknowledgement");
