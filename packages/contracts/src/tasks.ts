import { z } from "@hono/zod-openapi";
import { Cursor, DateInput, Id, PageLimit, page, requiredText, Timestamp, text } from "./common.ts";
import { Capability, WorkerSummary } from "./workers.ts";

export const TaskStatus = z
  .enum(["pending", "in_progress", "review", "completed", "blocked"])
  .openapi("TaskStatus");
export type TaskStatus = z.infer<typeof TaskStatus>;
export const TaskPriority = z.enum(["low", "medium", "high", "critical"]).openapi("TaskPriority");
export type TaskPriority = z.infer<typeof TaskPriority>;
export const RecurrencePattern = z
  .enum(["hourly", "daily", "weekdays", "weekly", "biweekly", "monthly", "yearly"])
  .openapi("RecurrencePattern");
export type RecurrencePattern = z.infer<typeof RecurrencePattern>;

export const Tag = requiredText(50);
export const Tags = z.array(Tag).max(20);

export const Recurrence = z
  .strictObject({
    pattern: RecurrencePattern,
    max: z.number().int().min(1).max(1000).nullable().default(null).openapi({
      description: "Occurrences in all, the first included; null for no end",
    }),
  })
  .openapi("Recurrence");

export const Task = z
  .object({
    id: Id,
    projectId: Id,
    parentId: Id.nullable(),
    title: z.string(),
    description: z.string(),
    status: TaskStatus,
    priority: TaskPriority,
    progress: z.number().int().min(0).max(100),
    tags: z.array(z.string()),
    dueAt: Timestamp.nullable(),
    assignee: WorkerSummary.nullable(),
    creator: WorkerSummary,
    startedAt: Timestamp.nullable(),
    completedAt: Timestamp.nullable(),
    recurrence: z
      .object({
        pattern: RecurrencePattern,
        max: z.number().int().nullable(),
        occurrence: z.number().int(),
        seriesId: Id,
      })
      .nullable(),
    requiredCapabilities: z
      .array(z.string())
      .openapi({ description: "What an agent must be able to do to claim it" }),
    claim: z.object({ holderId: Id, claimedAt: Timestamp, leaseExpiresAt: Timestamp }).nullable().openapi({
      description: "Who is working on it now; the claim lapses at leaseExpiresAt unless renewed",
    }),
    stop: z
      .object({
        requestedById: Id.nullable(),
        requestedAt: Timestamp,
        reason: z.string().nullable(),
        acknowledgedAt: Timestamp.nullable(),
      })
      .nullable()
      .openapi({ description: "A person asked the worker holding the task to stop" }),
    delegatedById: Id.nullable().openapi({ description: "The agent that delegated this subtask" }),
    dependsOn: z
      .array(Id)
      .openapi({ description: "Tasks that must be completed before this one can be claimed" }),
    blockedBy: z.array(Id).openapi({ description: "The dependencies not completed yet" }),
    version: z.number().int(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .openapi("Task");
export type Task = z.infer<typeof Task>;

const taskFields = {
  title: requiredText(500),
  description: text(20_000),
  priority: TaskPriority,
  tags: Tags,
  dueAt: DateInput.nullable(),
  assigneeId: Id.nullable(),
  recurrence: Recurrence.nullable(),
  requiredCapabilities: z
    .array(Capability)
    .max(20)
    .transform((caps) => [...new Set(caps)])
    .openapi({ description: "Capabilities an agent needs to claim the task (as on agents)" }),
};

export const TaskCreate = z
  .strictObject({
    title: taskFields.title,
    description: taskFields.description.default(""),
    priority: taskFields.priority.default("medium"),
    tags: taskFields.tags.default([]),
    dueAt: taskFields.dueAt.optional(),
    assigneeId: taskFields.assigneeId.optional(),
    parentId: Id.optional().openapi({ description: "Make it a subtask of this task (same project)" }),
    recurrence: taskFields.recurrence.optional(),
    requiredCapabilities: taskFields.requiredCapabilities.optional(),
    dependsOn: z.array(Id).max(50).optional().openapi({
      description:
        "Tasks of the same project this one depends on (it cannot be claimed before they complete)",
    }),
  })
  .openapi("TaskCreate");
export type TaskCreate = z.infer<typeof TaskCreate>;

export const SubtaskCreate = TaskCreate.omit({ parentId: true }).openapi("SubtaskCreate");
export type SubtaskCreate = z.infer<typeof SubtaskCreate>;

export const TaskUpdate = z
  .strictObject({
    title: taskFields.title.optional(),
    description: taskFields.description.optional(),
    priority: taskFields.priority.optional(),
    tags: taskFields.tags.optional(),
    dueAt: taskFields.dueAt.optional(),
    recurrence: taskFields.recurrence.optional(),
    requiredCapabilities: taskFields.requiredCapabilities.optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { message: "give at least one field to change" })
  .openapi("TaskUpdate", { minProperties: 1 });
export type TaskUpdate = z.infer<typeof TaskUpdate>;

export const DependencyCreate = z
  .strictObject({ dependsOnId: Id.openapi({ description: "A task of the same project" }) })
  .openapi("DependencyCreate");
export type DependencyCreate = z.infer<typeof DependencyCreate>;

export const TaskChainLink = z
  .object({
    id: Id,
    title: z.string(),
    status: TaskStatus,
    assignee: WorkerSummary.nullable(),
    delegatedById: Id.nullable().openapi({ description: "The agent that delegated this task, if one did" }),
  })
  .openapi("TaskChainLink");
export type TaskChainLink = z.infer<typeof TaskChainLink>;

export const TaskChain = z
  .object({
    chain: z.array(TaskChainLink).openapi({ description: "From the root task down to the task asked for" }),
  })
  .openapi("TaskChain");
export type TaskChain = z.infer<typeof TaskChain>;

export const StatusChange = z
  .strictObject({ status: TaskStatus, note: requiredText(5000).optional() })
  .openapi("StatusChange");
export type StatusChange = z.infer<typeof StatusChange>;

export const ProgressUpdate = z
  .strictObject({
    progress: z.number().int().min(0).max(100),
    note: requiredText(5000).optional().openapi({ description: "Kept as a progress comment" }),
  })
  .openapi("ProgressUpdate");
export type ProgressUpdate = z.infer<typeof ProgressUpdate>;

export const Assignment = z
  .strictObject({
    assigneeId: Id.nullable().openapi({ description: "A member of the project, or null to unassign" }),
  })
  .openapi("Assignment");
export type Assignment = z.infer<typeof Assignment>;

export const Approval = z.strictObject({ note: requiredText(5000).optional() }).openapi("Approval");
export type Approval = z.infer<typeof Approval>;

export const Rejection = z
  .strictObject({ reason: requiredText(5000).openapi({ description: "What to change" }) })
  .openapi("Rejection");
export type Rejection = z.infer<typeof Rejection>;

export const TaskSort = z.enum(["due", "priority", "created", "updated"]);
const commaList = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => (typeof v === "string" ? v.split(",") : v), z.array(item).min(1));
/** `a` or `a,b,…` of the enum's values, as the published pattern of a comma-separated query parameter. */
const commaListPattern = (values: readonly string[]) => `^(${values.join("|")})(,(${values.join("|")}))*$`;

export const TaskListQuery = z
  .strictObject({
    status: commaList(TaskStatus)
      .optional()
      .openapi({
        type: "string",
        pattern: commaListPattern(TaskStatus.options),
        description: "One or more, comma-separated",
      }),
    priority: commaList(TaskPriority)
      .optional()
      .openapi({
        type: "string",
        pattern: commaListPattern(TaskPriority.options),
        description: "One or more, comma-separated",
      }),
    assigneeId: z.union([Id, z.enum(["me", "none"])]).optional(),
    tag: Tag.optional(),
    parentId: z
      .union([Id, z.literal("none")])
      .optional()
      .openapi({ description: "`none` for top-level tasks only" }),
    dueBefore: DateInput.optional(),
    dueAfter: DateInput.optional(),
    q: requiredText(200).optional().openapi({ description: "Words in the title or description" }),
    sort: TaskSort.default("created").openapi({
      description: "due: soonest first; priority: highest first; created / updated: newest first",
    }),
    limit: PageLimit,
    cursor: Cursor.optional(),
  })
  .openapi("TaskListQuery");
export type TaskListQuery = z.infer<typeof TaskListQuery>;

export const TaskPage = page(Task, "TaskPage");
export type TaskPage = z.infer<typeof TaskPage>;

export const TaskDetail = Task.extend({
  subtasks: z.array(Task).openapi({ description: "Direct subtasks" }),
}).openapi("TaskDetail");
export type TaskDetail = z.infer<typeof TaskDetail>;

export const RecentQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(100).default(20) });
