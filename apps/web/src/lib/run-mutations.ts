// A person's side of an agent run, as plain functions over an API client (like mutations.ts): tell the agent
// something, answer its question, ask it to stop. The server actions (src/app/run-actions.ts) call these with the
// signed-in person's client; tests call them against a real API.
import type { RunWithActivity } from "@taskflow/contracts";
import { type ApiClient, enc } from "./api-client";
import { text } from "./forms";
import type { Outcome } from "./mutations";
import { fieldErrors, problemMessage } from "./problem";

async function post(api: ApiClient, runId: string, body: Record<string, unknown>, message: string) {
  const result = await api.call<RunWithActivity>(`/api/runs/${enc(runId)}/activities`, {
    method: "POST",
    body,
  });
  if (!result.ok) {
    return {
      ok: false as const,
      message: problemMessage(result.problem),
      errors: fieldErrors(result.problem),
    };
  }
  return { ok: true as const, data: result.data, message };
}

/** The prompt box: a message to the run's agent. */
export function promptRun(api: ApiClient, runId: string, form: FormData): Promise<Outcome<RunWithActivity>> {
  return post(api, runId, { type: "prompt", body: text(form, "body") }, "Sent to the agent.");
}

/**
 * The answer form of a question: the choice a button carries (`selected`; several from checkboxes when the
 * question allows), and words (`body`), which a free-text question needs.
 */
export function answerQuestion(
  api: ApiClient,
  runId: string,
  questionId: string,
  form: FormData,
): Promise<Outcome<RunWithActivity>> {
  const selected = form.getAll("selected").filter((value): value is string => typeof value === "string");
  const body = text(form, "body").trim();
  return post(
    api,
    runId,
    {
      type: "prompt",
      answers: questionId,
      ...(selected.length > 0 ? { selected } : {}),
      ...(body ? { body } : {}),
    },
    "Answer sent.",
  );
}

/** Stop: a prompt with the stop signal, and an optional reason. */
export function stopRun(api: ApiClient, runId: string, form: FormData): Promise<Outcome<RunWithActivity>> {
  const reason = text(form, "reason").trim();
  return post(
    api,
    runId,
    { type: "prompt", signal: "stop", ...(reason ? { body: reason } : {}) },
    "Asked to stop.",
  );
}
