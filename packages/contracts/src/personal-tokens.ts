import { z } from "@hono/zod-openapi";
import { Id, requiredText, Timestamp } from "./common.ts";

/** The scopes of a person's tokens, SSO access tokens and personal access tokens alike. */
export const TaskflowScope = z
  .enum(["taskflow:read", "taskflow:write", "taskflow:manage"])
  .openapi("TaskflowScope", {
    description:
      "read: see; write: work on tasks, create projects; manage: administer (settings, members, deletion, agents)",
  });
export type TaskflowScope = z.infer<typeof TaskflowScope>;

export const PersonalTokenCreate = z
  .strictObject({
    name: requiredText(100).openapi({
      description: "What the token is for, to recognise it later",
      example: "CI",
    }),
    scopes: z
      .array(TaskflowScope)
      .min(1)
      .max(3)
      .transform((scopes) => [...new Set(scopes)])
      .openapi({
        description: "What the token may do: at most the scopes of the sign-in that creates it",
        example: ["taskflow:read", "taskflow:write"],
      }),
    expiresInDays: z
      .number()
      .int()
      .min(1)
      .max(365)
      .default(30)
      .openapi({ description: "Days until it expires (1–365, default 30); every token expires" }),
  })
  .openapi("PersonalTokenCreate");
export type PersonalTokenCreate = z.infer<typeof PersonalTokenCreate>;

export const PersonalToken = z
  .object({
    id: Id,
    name: z.string(),
    scopes: z.array(TaskflowScope),
    lastChars: z.string().openapi({ description: "The token's last characters, for recognising it" }),
    createdAt: Timestamp,
    expiresAt: Timestamp,
    revokedAt: Timestamp.nullable(),
    lastUsedAt: Timestamp.nullable(),
  })
  .openapi("PersonalToken");
export type PersonalToken = z.infer<typeof PersonalToken>;

export const IssuedPersonalToken = PersonalToken.extend({
  token: z.string().openapi({
    description:
      "The token (`tfp_…`), for `Authorization: Bearer`. Shown this once; only its hash is stored.",
    example: "tfp_…",
  }),
}).openapi("IssuedPersonalToken");
export type IssuedPersonalToken = z.infer<typeof IssuedPersonalToken>;
