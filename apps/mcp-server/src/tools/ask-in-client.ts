import {
  type ElicitRequestFormParams,
  type InputRequiredResult,
  inputRequired,
  inputResponse,
} from "@modelcontextprotocol/server";
import { activityBodyMax, type RunActivity } from "@taskflow/contracts";
import { type ClientReply, invalidInput } from "@taskflow/core";
import { z } from "zod";

// The agent's question offered to its own client as an MCP 2026-07-28 `input_required` result (an elicitation
// form), and the pieces of the call that comes back with the answer. Who may answer, and how, is core's
// answerInClient; this file only speaks the protocol.

/** The key of the one input request, and of the client's response to it. */
const answerKey = "answer";

/**
 * What the server hands the client to echo back: which question of which run the answer is for. It is a pointer,
 * not a credential: the client may change it, so nothing in it is believed. The run must be the one the call's
 * own arguments name, and core looks the question up again against the caller (their run, their tenant, a
 * question of that run, not answered), so a forged or replayed state can name nothing the caller may not answer
 * anyway. Nor does it need a secret shared by the replicas, or expire with one.
 */
const QuestionState = z.strictObject({ runId: z.uuid(), questionId: z.uuid() });
export type QuestionState = z.infer<typeof QuestionState>;

export function encodeQuestionState(state: QuestionState): string {
  return Buffer.from(JSON.stringify(state)).toString("base64url");
}

/** The echoed state, or an `invalid_input` refusal naming `requestState`. */
export function decodeQuestionState(wire: string): QuestionState {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(wire, "base64url").toString("utf8"));
  } catch {
    parsed = undefined;
  }
  const state = QuestionState.safeParse(parsed);
  if (!state.success) throw invalidInput("requestState", "not a state this server handed out");
  return state.data;
}

/** The form the client shows its user: the question, and its choices as an enum (several when `multiple`). */
function answerSchema(question: RunActivity): ElicitRequestFormParams["requestedSchema"] {
  const options = question.elicitation?.choices?.map((choice) => ({
    const: choice.value,
    title: choice.label,
  }));
  const title = "Your answer";
  const answer = !options
    ? { type: "string" as const, title, minLength: 1, maxLength: activityBodyMax }
    : question.elicitation?.multiple
      ? { type: "array" as const, title, minItems: 1, items: { anyOf: options } }
      : { type: "string" as const, title, oneOf: options };
  return { type: "object", properties: { answer }, required: [answerKey] };
}

/** The question as an `input_required` result: one elicitation, and the state that says which question. */
export function askInClient(question: RunActivity): InputRequiredResult {
  return inputRequired({
    inputRequests: {
      [answerKey]: inputRequired.elicit({
        mode: "form",
        message: question.body,
        requestedSchema: answerSchema(question),
      }),
    },
    requestState: encodeQuestionState({ runId: question.runId, questionId: question.id }),
  });
}

const Reply = z.object({ answer: z.union([z.string(), z.array(z.string()).min(1).max(20)]) });

/**
 * The client's answer from the call that came back: its reply when its user accepted the form, undefined when
 * they declined or cancelled it (or the client sent none): the question then stays open for people on TaskFlow.
 */
export function clientReplyOf(responses: Record<string, unknown> | undefined): ClientReply | undefined {
  const response = inputResponse(responses, answerKey);
  if (response.kind !== "elicit" || response.action !== "accept") return undefined;
  const reply = Reply.safeParse(response.content);
  if (!reply.success) {
    throw invalidInput(`inputResponses.${answerKey}`, "give `answer`: words, or the picked choice values");
  }
  return reply.data.answer;
}
