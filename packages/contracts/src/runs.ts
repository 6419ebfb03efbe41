import { z } from "@hono/zod-openapi";
import { Id, Timestamp, trimmedCharacters, withoutNul } from "./common.ts";
import { WebhookUrl } from "./webhooks.ts";

// Agent runs (issue 15): an agent's working session on a task, and its append-only activities.

export const RunState = z
  .enum(["pending", "active", "awaiting_input", "error", "completed", "stopped", "stale"])
  .openapi("RunState", {
    description:
      "Follows from the last activity: `pending` (dispatched or prompted, not yet taken up), `active`, " +
      "`awaiting_input` (the agent asked a question), `error`, `completed` (a response), `stopped` (a stop " +
      "acknowledged); `stale` when a pending or active run had no activity for the configured time",
  });
export type RunState = z.infer<typeof RunState>;

export const ActivityType = z
  .enum(["prompt", "thought", "action", "response", "elicitation", "error"])
  .openapi("ActivityType");
export type ActivityType = z.infer<typeof ActivityType>;

/** The most characters an activity's Markdown body (or an action's result) may have. */
export const activityBodyMax = 16_000;
/** The most characters an action's parameters may take as JSON. */
export const activityParametersMax = 16_000;

// What "unsafe" means for text a person will read: control characters (C0 but tab, line feed and carriage
// return; DEL; C1), which terminals and logs interpret, and the bidirectional overrides and isolates
// (U+202A–U+202E, U+2066–U+2069), which make text read differently from what it is (CVE-2021-42574).
// NUL is a control character too (PostgreSQL cannot store it). Raw HTML is not unsafe here: it is stored as
// text and never rendered as HTML.
// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
const safeCharacters = /^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]*$/;
export const unsafeTextMessage =
  "must not contain control characters (other than tab and line breaks) or bidirectional overrides";

/** Whether text is free of what safeMarkdown refuses (core checks stored text with it too). */
export function isSafeText(value: string): boolean {
  return safeCharacters.test(value) && value.isWellFormed();
}

/**
 * Markdown a person will read: at most `max` characters, none of the unsafe ones above, well-formed Unicode (no
 * lone surrogate). Published as maxLength and a pattern, so what the schema admits the API does.
 */
export function safeMarkdown(max: number) {
  return z
    .string()
    .max(max)
    .regex(safeCharacters, unsafeTextMessage)
    .refine((value) => value.isWellFormed(), { message: "must be well-formed Unicode (no lone surrogates)" });
}

/**
 * Markdown that must say something: safeMarkdown that is not blank, both in one published pattern, so a
 * client that follows the schema never sends a blank one (schemathesis sent "" and was refused).
 */
export function requiredMarkdown(max: number) {
  return z
    .string()
    .max(max)
    .regex(safeNotBlank, `must not be blank, and ${unsafeTextMessage}`)
    .refine((value) => value.isWellFormed(), { message: "must be well-formed Unicode (no lone surrogates)" });
}
const safeNotBlank = new RegExp(`^(?![${trimmedCharacters}]*$)${safeCharacters.source.slice(1)}`);

const MarkdownBody = requiredMarkdown(activityBodyMax).openapi({
  description: `Markdown, at most ${activityBodyMax} characters; stored as text, never rendered as HTML`,
});

const ToolName = z
  .string()
  .regex(/^[A-Za-z0-9_.:/-]{1,128}$/, "letters, digits and _ . : / -, at most 128")
  .openapi({ description: "The tool the agent used", example: "run_tests" });

/** Whether a JSON value holds only what PostgreSQL's jsonb stores and a person can read (no NUL, no lone surrogate). */
function isStorableJson(value: unknown, depth = 0): boolean {
  if (depth > 32) return false;
  if (typeof value === "string") return !value.includes("\u0000") && value.isWellFormed();
  if (Array.isArray(value)) return value.every((item) => isStorableJson(item, depth + 1));
  if (value && typeof value === "object") {
    return Object.entries(value).every(
      ([key, item]) => isStorableJson(key) && isStorableJson(item, depth + 1),
    );
  }
  return true;
}

/**
 * What isStorableJson accepts, as the published contract says it (the API registers it as a component): any JSON
 * value whose strings, keys included, hold no NUL. Without it the contract said "any object", and a client
 * generated from it (schemathesis did) sent a NUL that the API refused. Lone surrogates cannot be sent in valid
 * UTF-8 JSON text, and JSON Schema cannot count the depth: those two stay in the description.
 */
export const storableJsonValueSchema = {
  description:
    "Any JSON value whose strings and keys hold no NUL (\\u0000) character and no lone surrogate, nested at most 32 levels",
  anyOf: [
    { type: "string", pattern: withoutNul.source },
    { type: "number" },
    { type: "boolean" },
    { type: "null" },
    { type: "array", items: { $ref: "#/components/schemas/StorableJsonValue" } },
    {
      type: "object",
      propertyNames: { pattern: withoutNul.source },
      additionalProperties: { $ref: "#/components/schemas/StorableJsonValue" },
    },
  ],
} as const;

// A variable, not a literal: the generator passes propertyNames (OpenAPI 3.1) through, but its metadata type
// predates it.
const actionParametersDoc = {
  description: `What the tool was called with (a JSON object, at most ${activityParametersMax} characters)`,
  propertyNames: { pattern: withoutNul.source },
  additionalProperties: { $ref: "#/components/schemas/StorableJsonValue" },
};

const ActionParameters = z
  .record(z.string(), z.unknown())
  .refine((value) => JSON.stringify(value).length <= activityParametersMax, {
    message: `at most ${activityParametersMax} characters as JSON`,
  })
  .refine((value) => isStorableJson(value), {
    message: "must not contain NUL characters or lone surrogates, nor nest deeper than 32 levels",
  })
  .openapi(actionParametersDoc);

export const ChoiceValue = z
  .string()
  .regex(/^[A-Za-z0-9_.:-]{1,64}$/, "letters, digits and _ . : -, at most 64")
  // No example of its own: a generator would give every choice of a list the same one, and each needs its
  // own value (the list's example shows two).
  .openapi({ description: "What the agent receives when this choice is picked" });

export const ElicitationChoice = z
  .strictObject({
    value: ChoiceValue,
    label: requiredMarkdown(200).openapi({ description: "What the button says" }),
  })
  .openapi("ElicitationChoice");
export type ElicitationChoice = z.infer<typeof ElicitationChoice>;

const Choices = z
  .array(ElicitationChoice)
  .min(2)
  .max(20)
  .refine((choices) => new Set(choices.map((c) => c.value)).size === choices.length, {
    message: "each choice needs its own value",
  })
  .openapi({
    description: "Offered answers (2–20), each with its own value; leave out for a free-text question",
    example: [
      { value: "postgres", label: "PostgreSQL" },
      { value: "sqlite", label: "SQLite" },
    ],
  });

export const PromptCreate = z
  .strictObject({
    type: z.literal("prompt"),
    body: safeMarkdown(activityBodyMax).optional().openapi({
      description: "What you tell the agent (Markdown); required unless stopping or picking choices",
    }),
    signal: z.literal("stop").optional().openapi({ description: "`stop`: ask the agent to stop this run" }),
    answers: Id.optional().openapi({ description: "The elicitation (question) this prompt answers" }),
    selected: z
      .array(ChoiceValue)
      .min(1)
      .max(20)
      .optional()
      .openapi({ description: "The choices picked, when answering a question with choices" }),
  })
  .openapi("PromptCreate");

export const ThoughtCreate = z
  .strictObject({
    type: z.literal("thought"),
    body: MarkdownBody,
    ephemeral: z
      .boolean()
      .default(false)
      .openapi({ description: "Shown only while it is the latest activity (kept, collapsed, afterwards)" }),
  })
  .openapi("ThoughtCreate");

export const ActionCreate = z
  .strictObject({
    type: z.literal("action"),
    tool: ToolName,
    parameters: ActionParameters.optional(),
    result: safeMarkdown(activityBodyMax)
      .optional()
      .openapi({ description: "What the tool returned (Markdown)" }),
    body: safeMarkdown(activityBodyMax)
      .optional()
      .openapi({ description: "A note on the action (Markdown)" }),
  })
  .openapi("ActionCreate");

export const ResponseCreate = z
  .strictObject({
    type: z.literal("response"),
    body: MarkdownBody,
    signal: z.literal("stop").optional().openapi({
      description: "`stop`: you stopped as a person asked (the run ends `stopped`, not `completed`)",
    }),
  })
  .openapi("ResponseCreate");

export const ElicitationCreate = z
  .strictObject({
    type: z.literal("elicitation"),
    body: MarkdownBody.openapi({ description: "The question (Markdown)" }),
    choices: Choices.optional(),
    multiple: z.boolean().default(false).openapi({ description: "Whether several choices may be picked" }),
    askedOfId: Id.optional().openapi({
      description: "The person asked (a member of the project); left out, the project's reviewers are",
    }),
  })
  .openapi("ElicitationCreate");

export const ErrorCreate = z
  .strictObject({ type: z.literal("error"), body: MarkdownBody })
  .openapi("ErrorActivityCreate");

/** One new activity: a person's prompt, or the run's agent's thought, action, response, question or error. */
export const ActivityCreate = z
  .discriminatedUnion("type", [
    PromptCreate,
    ThoughtCreate,
    ActionCreate,
    ResponseCreate,
    ElicitationCreate,
    ErrorCreate,
  ])
  .openapi("ActivityCreate");
export type ActivityCreate = z.infer<typeof ActivityCreate>;
export type AgentActivityCreate = Exclude<ActivityCreate, { type: "prompt" }>;
export type PromptInput = z.infer<typeof PromptCreate>;
export type ElicitationInput = z.infer<typeof ElicitationCreate>;

export const RunActivity = z
  .object({
    id: Id,
    runId: Id,
    seq: z.number().int().openapi({ description: "Its place in the run: 1, 2, …" }),
    type: ActivityType,
    authorId: Id.nullable(),
    body: z.string(),
    ephemeral: z.boolean(),
    signal: z.enum(["stop"]).nullable(),
    action: z
      .object({ tool: z.string(), parameters: z.unknown().nullable(), result: z.string().nullable() })
      .nullable(),
    elicitation: z
      .object({
        choices: z.array(ElicitationChoice).nullable(),
        multiple: z.boolean(),
        askedOfId: Id.nullable(),
        answeredById: Id.nullable().openapi({ description: "The prompt that answered it, once answered" }),
      })
      .nullable(),
    answer: z.object({ elicitationId: Id, selected: z.array(z.string()).nullable() }).nullable(),
    createdAt: Timestamp,
  })
  .openapi("RunActivity");
export type RunActivity = z.infer<typeof RunActivity>;

export const AgentRun = z
  .object({
    id: Id,
    projectId: Id,
    taskId: Id,
    taskTitle: z.string(),
    agentId: Id,
    state: RunState,
    origin: z.enum(["claim", "assign", "mention", "prompt", "work"]).openapi({
      description:
        "How it opened: the agent claimed the task, was assigned or mentioned, prompted, or just posted",
    }),
    openedById: Id.nullable(),
    lastSeq: z.number().int(),
    lastActivityAt: Timestamp,
    stopRequested: z
      .boolean()
      .openapi({ description: "A person asked the agent to stop; not acknowledged yet" }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .openapi("AgentRun");
export type AgentRun = z.infer<typeof AgentRun>;

export const RunWithActivity = z.object({ run: AgentRun, activity: RunActivity }).openapi("RunWithActivity");
export type RunWithActivity = z.infer<typeof RunWithActivity>;

export const ActivityQuery = z.strictObject({
  after: z.coerce
    .number()
    .int()
    .min(0)
    .max(2_147_483_647)
    .default(0)
    .openapi({ description: "Only activities after this sequence number" }),
  limit: z.coerce.number().int().min(1).max(200).default(100).openapi({ description: "Page size, 1–200" }),
  type: ActivityType.optional().openapi({ description: "Only this type" }),
});

export const ActivityPage = z
  .object({
    run: AgentRun,
    items: z.array(RunActivity),
    nextAfter: z
      .number()
      .int()
      .nullable()
      .openapi({ description: "Pass as `after` for the next page; null at the end" }),
  })
  .openapi("ActivityPage");
export type ActivityPage = z.infer<typeof ActivityPage>;

export const RunListQuery = z.strictObject({
  state: RunState.optional(),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(50)
    .openapi({ description: "At most this many, newest first" }),
});

export const RunList = z.object({ items: z.array(AgentRun) }).openapi("RunList");
export type RunList = z.infer<typeof RunList>;

export const AgentEndpoint = z
  .object({ agentId: Id, url: z.string(), createdAt: Timestamp, updatedAt: Timestamp })
  .openapi("AgentEndpoint");
export type AgentEndpoint = z.infer<typeof AgentEndpoint>;

export const AgentEndpointWithSecret = AgentEndpoint.extend({
  secret: z.string().openapi({
    description: "Signs every dispatch (`TaskFlow-Signature`). Shown only when set and on rotation.",
    example: "whsec_…",
  }),
}).openapi("AgentEndpointWithSecret");
export type AgentEndpointWithSecret = z.infer<typeof AgentEndpointWithSecret>;

export const AgentEndpointSet = z
  .strictObject({
    url: WebhookUrl.openapi({
      description:
        "Where dispatches are POSTed. Guarded as webhook targets are: loopback, private and internal addresses " +
        "are refused (unless the server allows private targets).",
    }),
  })
  .openapi("AgentEndpointSet");

export const AgentDispatchEntry = z
  .object({
    id: z.string().openapi({ description: "Increasing; also the body's `id` and `TaskFlow-Delivery`" }),
    runId: Id,
    reason: z.enum(["assigned", "mentioned", "prompted"]),
    status: z.enum(["pending", "delivered", "retrying", "failed"]),
    attempts: z.number().int(),
    nextAttemptAt: Timestamp,
    lastStatusCode: z.number().int().nullable(),
    lastError: z.string().nullable(),
    lastDurationMs: z.number().int().nullable(),
    createdAt: Timestamp,
    deliveredAt: Timestamp.nullable(),
  })
  .openapi("AgentDispatch");

export const AgentDispatchList = z
  .object({ items: z.array(AgentDispatchEntry) })
  .openapi("AgentDispatchList");
