import { z } from "@hono/zod-openapi";
import { Id, Timestamp } from "./common.ts";
import { Task } from "./tasks.ts";

export const ClaimNext = z
  .strictObject({
    projectId: Id.optional().openapi({ description: "Only this project; otherwise any of yours" }),
  })
  .openapi("ClaimNext");

export const ClaimNextAnswer = z
  .object({
    task: Task.nullable().openapi({ description: "The task now yours, or null when none is claimable" }),
  })
  .openapi("ClaimNextAnswer");

export const HeartbeatInput = z
  .strictObject({
    progress: z.number().int().min(0).max(100).optional(),
    note: z
      .string()
      .trim()
      .min(1)
      .max(5000)
      .optional()
      .openapi({ description: "Kept as a progress comment" }),
  })
  .openapi("Heartbeat");

export const HeartbeatAnswer = z
  .object({
    task: Task,
    action: z
      .enum(["continue", "stop"])
      .openapi({ description: "`stop`: a person asked you to stop; acknowledge it" }),
    leaseExpiresAt: Timestamp,
  })
  .openapi("HeartbeatAnswer");

export const StopRequest = z
  .strictObject({ reason: z.string().trim().min(1).max(2000).optional() })
  .openapi("StopRequest");

export const StopAcknowledgement = z
  .strictObject({ note: z.string().trim().min(1).max(5000).optional() })
  .openapi("StopAcknowledgement");
