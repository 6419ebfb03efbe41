import type { ElicitationChoice } from "@taskflow/contracts";
import { eq } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import { recordAudit } from "../audit/record-audit.ts";
import type { TaskflowTx } from "../db/database.ts";
import { type ActivityType, agentRuns, runActivities } from "../db/schema/runs.ts";
import { stateAfter } from "./run-state.ts";
import { type ActivityRow, type RunRow, toActivity } from "./select-runs.ts";

/** What an activity holds, beyond its run, type and author (validated by the caller). */
export interface ActivityFields {
  body?: string | undefined;
  ephemeral?: boolean | undefined;
  signal?: "stop" | null | undefined;
  tool?: string | undefined;
  parameters?: Record<string, unknown> | undefined;
  result?: string | undefined;
  choices?: ElicitationChoice[] | undefined;
  multiple?: boolean | undefined;
  askedOfId?: string | undefined;
  answersId?: string | undefined;
  selected?: string[] | undefined;
}

/**
 * Appends one activity to a run the caller has locked (authorizeRun with a lock): the next sequence number,
 * the run's new state (run-state.ts) and time, and the `run.<type>` audit row, all in the caller's transaction,
 * so the activity, the state and the trail commit together and the audit row announces it to live streams.
 */
export async function appendActivity(
  tx: TaskflowTx,
  actor: Actor,
  run: RunRow,
  type: ActivityType,
  fields: ActivityFields,
  now: Date = new Date(),
): Promise<{ activity: ActivityRow; run: RunRow }> {
  const seq = run.lastSeq + 1;
  const [activity] = await tx
    .insert(runActivities)
    .values({
      tenantId: run.tenantId,
      runId: run.id,
      seq,
      type,
      authorId: actor.workerId,
      body: fields.body ?? "",
      ephemeral: fields.ephemeral ?? false,
      signal: fields.signal ?? null,
      tool: fields.tool ?? null,
      parameters: fields.parameters ?? null,
      result: fields.result ?? null,
      choices: fields.choices ?? null,
      multiple: type === "elicitation" ? (fields.multiple ?? false) : null,
      askedOfId: fields.askedOfId ?? null,
      answersId: fields.answersId ?? null,
      selected: fields.selected ?? null,
      createdAt: now,
    })
    .returning();
  if (!activity) throw new Error("insert returned no activity");
  const [updated] = await tx
    .update(agentRuns)
    .set({ lastSeq: seq, state: stateAfter(type, activity.signal), lastActivityAt: now, updatedAt: now })
    .where(eq(agentRuns.id, run.id))
    .returning();
  if (!updated) throw new Error("the run vanished");
  await recordAudit(tx, actor, {
    entityType: "run",
    entityId: run.id,
    projectId: run.projectId,
    taskId: run.taskId,
    action: `run.${type}`,
    before: { state: run.state },
    after: { ...toActivity(activity), state: updated.state },
  });
  return { activity, run: updated };
}
