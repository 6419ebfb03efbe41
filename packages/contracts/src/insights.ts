import { z } from "@hono/zod-openapi";
import { dateOutOfRange, Id, isInDateRange } from "./common.ts";

/** The longest window insights read at once: a year of days keeps every chart readable and every query bounded. */
export const maxInsightDays = 366;

/** A calendar day in UTC (`2026-11-24`): insights count whole UTC days and ISO weeks (Monday to Sunday). */
export const CalendarDay = z.iso
  .date()
  .refine((value) => isInDateRange(new Date(`${value}T00:00:00Z`)), {
    message: dateOutOfRange,
    params: { dateOutOfRange: true },
  })
  .openapi({ description: "A calendar day (UTC), YYYY-MM-DD", example: "2026-11-24" });

/**
 * `from` and `to` (both included) bound the cumulative flow, the review and cycle times and the agents'
 * counts; `weeks` is how many ISO weeks of throughput end with the week of `to`. Left out: the 30 days
 * ending today (UTC) and 12 weeks.
 */
export const InsightsQuery = z
  .strictObject({
    from: CalendarDay.optional().openapi({
      description: "First day (UTC) included; default: 29 days before `to`",
    }),
    to: CalendarDay.optional().openapi({ description: "Last day (UTC) included; default: today" }),
    weeks: z.coerce
      .number()
      .int()
      .min(1)
      .max(52)
      .default(12)
      .openapi({ description: "ISO weeks of throughput, ending with the week of `to`, 1–52" }),
  })
  .superRefine((query, ctx) => {
    // `from` alone is measured against the default `to` (today): a window is bounded whichever end is left out
    // (red team: `?from=1900-01-01` alone made every day since 1900 a row).
    if (!query.from) return;
    const to = query.to ?? new Date().toISOString().slice(0, 10);
    const span = (Date.parse(to) - Date.parse(query.from)) / 86_400_000;
    // Two well-formed days that make no window the API reads: 422 naming `from`, as a date outside the years
    // (contracts' DateInput): each is valid alone, a rule between them no schema can state is not met.
    const params = { dateOutOfRange: true };
    if (span < 0) ctx.addIssue({ code: "custom", path: ["from"], message: "must not be after `to`", params });
    else if (span >= maxInsightDays) {
      ctx.addIssue({
        code: "custom",
        path: ["from"],
        message: `must be at most ${maxInsightDays} days before \`to\``,
        params,
      });
    }
  });
export type InsightsQuery = z.infer<typeof InsightsQuery>;

const Seconds = z.number().nonnegative().openapi({ description: "Seconds" });

export const FlowDay = z
  .object({
    date: z.string().openapi({ example: "2026-11-24" }),
    pending: z.number().int(),
    in_progress: z.number().int(),
    review: z.number().int(),
    blocked: z.number().int(),
    completed: z.number().int(),
  })
  .openapi("FlowDay", {
    description: "How many of the project's tasks were in each status at the end of the day (UTC)",
  });
export type FlowDay = z.infer<typeof FlowDay>;

export const ThroughputWeek = z
  .object({
    weekStart: z
      .string()
      .openapi({ description: "The Monday (UTC) the ISO week starts", example: "2026-11-23" }),
    people: z.number().int().openapi({ description: "Completions whose worker is a person" }),
    agents: z.number().int().openapi({ description: "Completions whose worker is an agent" }),
  })
  .openapi("ThroughputWeek");
export type ThroughputWeek = z.infer<typeof ThroughputWeek>;

export const DurationSummary = z
  .object({
    count: z.number().int().openapi({ description: "How many durations were measured" }),
    p50Seconds: Seconds.nullable().openapi({ description: "Median; null when nothing was measured" }),
    p90Seconds: Seconds.nullable().openapi({
      description: "90th percentile; null when nothing was measured",
    }),
  })
  .openapi("DurationSummary");
export type DurationSummary = z.infer<typeof DurationSummary>;

export const AgentActivity = z
  .object({
    agentId: Id,
    handle: z.string(),
    name: z.string(),
    claims: z.number().int().openapi({ description: "Tasks the agent claimed" }),
    completions: z.number().int().openapi({ description: "Tasks completed with the agent as their worker" }),
    rejections: z.number().int().openapi({ description: "Reviews that sent the agent's work back" }),
    stopRequests: z.number().int().openapi({ description: "Times a person asked the agent to stop" }),
    endedLeases: z.number().int().openapi({ description: "Claims taken in the window that have ended" }),
    meanLeaseSeconds: Seconds.nullable().openapi({
      description:
        "Mean time from a claim to its end (released, handed in, stopped, or the lease running out); null when none ended",
    }),
  })
  .openapi("AgentActivity");
export type AgentActivity = z.infer<typeof AgentActivity>;

const window = {
  from: z.string().openapi({ example: "2026-10-26" }),
  to: z.string().openapi({ example: "2026-11-24" }),
};

export const ProjectInsights = z
  .object({
    projectId: Id,
    ...window,
    cumulativeFlow: z.array(FlowDay),
    throughput: z.array(ThroughputWeek),
    timeInReview: DurationSummary.openapi({ description: "Each stay in review that ended in the window" }),
    cycleTime: DurationSummary.openapi({
      description: "From a task's first start to each completion in the window",
    }),
    agents: z
      .array(AgentActivity)
      .openapi({ description: "Agents with any activity in the project in the window" }),
  })
  .openapi("ProjectInsights");
export type ProjectInsights = z.infer<typeof ProjectInsights>;

export const AgentWeek = z
  .object({
    weekStart: z.string().openapi({ example: "2026-11-23" }),
    claims: z.number().int(),
    completions: z.number().int(),
    rejections: z.number().int(),
    stopRequests: z.number().int(),
  })
  .openapi("AgentWeek");
export type AgentWeek = z.infer<typeof AgentWeek>;

export const AgentInsights = z
  .object({
    ...window,
    activity: AgentActivity.openapi({
      description: "The agent's counts in the window, across its organization's projects",
    }),
    weekly: z
      .array(AgentWeek)
      .openapi({ description: "The same counts per ISO week, ending with the week of `to`" }),
  })
  .openapi("AgentInsights");
export type AgentInsights = z.infer<typeof AgentInsights>;
