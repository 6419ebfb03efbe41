import { z } from "@hono/zod-openapi";
import { Id, requiredText, Timestamp } from "./common.ts";

export const WorkerKind = z.enum(["human", "agent"]).openapi("WorkerKind");
export const Handle = z
  .string()
  .regex(/^@?[a-z0-9][a-z0-9._-]{1,38}$/, "a handle is 2–39 lowercase letters, digits, '.', '_' or '-'")
  .transform((h) => (h.startsWith("@") ? h : `@${h}`))
  .openapi({ example: "@claude-code", type: "string", pattern: "^@?[a-z0-9][a-z0-9._-]{1,38}$" });

export const Capability = z
  .string()
  .min(1)
  .max(50)
  .regex(/^[a-z0-9][a-z0-9:._-]*$/, "lowercase words, digits and : . _ -");

export const Worker = z
  .object({
    id: Id,
    kind: WorkerKind,
    handle: z.string(),
    name: z.string(),
    email: z
      .string()
      .nullable()
      .openapi({
        description:
          "A person's email address, null unless the caller may see it: the person themself, the organization's " +
          "owners and admins, and people who share a project with them; never an agent",
      }),
    agentType: z.string().nullable(),
    capabilities: z.array(z.string()),
    createdAt: Timestamp,
    deletedAt: Timestamp.nullable(),
  })
  .openapi("Worker");
export type Worker = z.infer<typeof Worker>;

export const WorkerSummary = z
  .object({ id: Id, kind: WorkerKind, handle: z.string(), name: z.string() })
  .openapi("WorkerSummary");
export type WorkerSummary = z.infer<typeof WorkerSummary>;

export const KeyAction = z.enum(["read", "write_tasks", "claim", "comment", "manage"]).openapi("KeyAction");
export type KeyAction = z.infer<typeof KeyAction>;

export const KeyScopes = z
  .strictObject({
    projectIds: z.array(Id).min(1).max(100).nullable().default(null).openapi({
      description: "Projects the key may be used in; null (default): every project the agent is a member of",
    }),
    actions: z
      .array(KeyAction)
      .min(1)
      .default(["read", "write_tasks", "claim", "comment"])
      .transform((actions) => [...new Set(actions)])
      .openapi({ description: "What the key may do (default: read, write_tasks, claim, comment)" }),
  })
  .openapi("KeyScopes");
export type KeyScopes = z.infer<typeof KeyScopes>;

const expiresInDays = z
  .number()
  .int()
  .min(1)
  .max(365)
  .default(90)
  .openapi({ description: "Days until the key expires (1–365, default 90); every key expires" });

export const AgentRegistration = z
  .strictObject({
    handle: Handle,
    name: requiredText(200),
    agentType: requiredText(100).openapi({ example: "claude-code" }),
    capabilities: z.array(Capability).max(50).default([]),
    scopes: KeyScopes.optional().openapi({
      description: "Scope of the first API key (default: unscoped projects, no manage)",
    }),
    expiresInDays: expiresInDays.optional(),
    joinProjects: z
      .array(Id)
      .max(50)
      .refine((ids) => new Set(ids).size === ids.length, { message: "name each project once" })
      .default([])
      .openapi({
        description:
          "Projects the agent joins as a member in the same request (you need to be an admin or owner of each). " +
          "An agent can do nothing until it is a member of a project.",
      }),
  })
  .openapi("AgentRegistration");
export type AgentRegistration = z.infer<typeof AgentRegistration>;

export const AgentUpdate = z
  .strictObject({
    name: requiredText(200).optional(),
    agentType: requiredText(100).optional(),
    capabilities: z.array(Capability).max(50).optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { message: "give at least one field to change" })
  .openapi("AgentUpdate", { minProperties: 1 });
export type AgentUpdate = z.infer<typeof AgentUpdate>;

export const AgentKey = z
  .object({
    id: Id,
    lastChars: z.string().openapi({ description: "The key's last characters, for recognising it" }),
    createdAt: Timestamp,
    expiresAt: Timestamp.nullable(),
    revokedAt: Timestamp.nullable(),
    lastUsedAt: Timestamp.nullable(),
    scopes: z.object({ projectIds: z.array(Id).nullable(), actions: z.array(KeyAction) }).openapi({
      description: "Where the key may be used (projectIds null: every project of the agent) and for what",
    }),
  })
  .openapi("AgentKey");
export type AgentKey = z.infer<typeof AgentKey>;

export const IssuedAgentKey = AgentKey.extend({
  key: z
    .string()
    .openapi({ description: "The API key. Shown this once; only its hash is stored.", example: "tf_…" }),
}).openapi("IssuedAgentKey");
export type IssuedAgentKey = z.infer<typeof IssuedAgentKey>;

export const AgentKeyIssue = z
  .strictObject({
    expiresInDays,
    scopes: KeyScopes.optional().openapi({
      description: "Scope of the new key (default: unscoped projects, no manage)",
    }),
  })
  .openapi("AgentKeyIssue");
export type AgentKeyIssue = z.infer<typeof AgentKeyIssue>;

export const RegisteredAgent = z
  .object({
    agent: Worker,
    apiKey: IssuedAgentKey,
    joinedProjects: z.array(Id).openapi({ description: "The projects it joined as a member (joinProjects)" }),
  })
  .openapi("RegisteredAgent");

export const WorkerListQuery = z.strictObject({
  type: WorkerKind.optional().openapi({ description: "Only humans or only agents" }),
  includeDeleted: z.enum(["true", "false"]).optional().openapi({
    description: "`true` adds deleted agents (with `deletedAt`), so an audit trail can name them",
  }),
});

export const WorkerSearchQuery = z.strictObject({
  q: requiredText(100).openapi({
    description: "Part of a handle, name, or an email address the caller may see",
  }),
  projectId: Id.optional().openapi({ description: "Only members of this project" }),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});
