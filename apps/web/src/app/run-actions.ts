"use server";
// Server actions of the run view on the task page: call src/lib/run-mutations.ts with the signed-in person's API
// client, then refresh the task page (the live stream refreshes everyone else's).
import { revalidatePath } from "next/cache";
import { sessionApi } from "@/lib/api";
import type { FormState } from "@/lib/mutations";
import * as runs from "@/lib/run-mutations";

async function settle(
  taskId: string,
  outcome: Awaited<ReturnType<typeof runs.promptRun>>,
): Promise<FormState> {
  if (!outcome.ok) {
    return {
      ok: false,
      ...(outcome.message ? { message: outcome.message } : {}),
      ...(outcome.errors ? { errors: outcome.errors } : {}),
    };
  }
  revalidatePath(`/tasks/${taskId}`);
  return { ok: true, ...(outcome.message ? { message: outcome.message } : {}) };
}

export async function promptRun(
  runId: string,
  taskId: string,
  _previous: FormState,
  form: FormData,
): Promise<FormState> {
  return settle(taskId, await runs.promptRun(await sessionApi(`/tasks/${taskId}`), runId, form));
}

export async function answerQuestion(
  runId: string,
  questionId: string,
  taskId: string,
  _previous: FormState,
  form: FormData,
): Promise<FormState> {
  return settle(
    taskId,
    await runs.answerQuestion(await sessionApi(`/tasks/${taskId}`), runId, questionId, form),
  );
}

export async function stopRun(
  runId: string,
  taskId: string,
  _previous: FormState,
  form: FormData,
): Promise<FormState> {
  return settle(taskId, await runs.stopRun(await sessionApi(`/tasks/${taskId}`), runId, form));
}
