import { AgentRun, ElicitationCreate, RunActivity } from "@taskflow/contracts";
import {
  type AnswerState,
  answerInClient,
  askQuestion,
  authorizeRun,
  awaitAnswer,
  DomainError,
  invalidInput,
  resolveAgentRun,
} from "@taskflow/core";
import { z } from "zod";
import { askInClient, clientReplyOf, decodeQuestionState } from "./ask-in-client.ts";
import { choices, given, markdown, parseAs, runId, runTaskId } from "./run-fields.ts";
import { defineTool } from "./tool-kit.ts";

/** The longest a call waits: well below the server's and the SDK client's request timeouts (60 s). */
export const maxWaitSeconds = 30;

const Waited = z.object({
  status: z.enum(["answered", "waiting"]),
  questionId: z.uuid(),
  run: AgentRun,
  question: RunActivity,
  answer: RunActivity.nullable(),
  answeredInClient: z
    .boolean()
    .describe("True when the answer is the one your client's user just gave (recorded on the run)"),
});

export const askAndWaitTool = defineTool({
  name: "taskflow_ask_and_wait",
  action: "task.work",
  title: "Ask a person and wait for the answer",
  description:
    "Ask a question on your run and wait for a person to answer: free text, or `choices` (single, or several " +
    "with `multiple`). The person named by `askedOfId` (or the project's reviewers) is told; your run awaits " +
    `input. The call waits up to \`waitSeconds\` (at most ${maxWaitSeconds}) and returns the answer, or ` +
    "status `waiting`: then call again with the `questionId` it gave (and no question) to keep waiting. " +
    "Do something useful in between if you can. A client that can show a form (MCP 2026-07-28 elicitation) is " +
    "asked at once, for a question not put to a named person: its user may answer there, or a person on TaskFlow.",
  input: z.object({
    runId,
    taskId: runTaskId,
    question: markdown("The question")
      .optional()
      .describe("The question (Markdown); leave out when waiting again"),
    choices: choices.optional(),
    multiple: z.boolean().optional().describe("Several choices may be picked"),
    askedOfId: z
      .uuid()
      .optional()
      .describe("The person to ask (a project member); else the project's reviewers"),
    questionId: z
      .uuid()
      .optional()
      .describe("Keep waiting for this question (from an earlier `waiting` answer)"),
    waitSeconds: z
      .number()
      .int()
      .min(0)
      .max(maxWaitSeconds)
      .default(25)
      .describe(`How long to wait for the answer now (0 to ${maxWaitSeconds} seconds)`),
  }),
  output: Waited,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
  run: async ({ db, actor, watch }, input, call) => {
    // A run the caller cannot work on is refused (not found when it cannot see it), whatever else the call
    // says, by the permission asking needs (task.work), as the REST route decides: never by `read`.
    if (input.runId) await authorizeRun(db, actor, input.runId, "task.work");
    const wait = { timeoutMs: input.waitSeconds * 1000, watch, signal: call.signal };
    const done = (state: AnswerState, answeredInClient = false) => ({
      status: state.answer ? ("answered" as const) : ("waiting" as const),
      questionId: state.question.id,
      ...state,
      answeredInClient,
    });

    // The call coming back from the client with its user's answer (MCP 2026-07-28): the original arguments,
    // the state this server gave, the client's responses. The state must name this call's own run.
    if (call.requestState !== undefined) {
      const asked = decodeQuestionState(call.requestState);
      const run = await resolveAgentRun(db, actor, { runId: input.runId, taskId: input.taskId });
      if (run !== asked.runId) throw invalidInput("requestState", "this state is of another run");
      if (input.questionId && input.questionId !== asked.questionId) {
        throw invalidInput("questionId", "not the question this state is for");
      }
      const reply = clientReplyOf(call.inputResponses);
      if (reply === undefined) {
        // Declined or dismissed in the client: the question stays open for people on TaskFlow.
        return done(await awaitAnswer(db, actor, run, asked.questionId, wait, "requestState"));
      }
      const state = await answerInClient(db, actor, run, asked.questionId, reply, "inputResponses.answer");
      return done(state, state.recorded);
    }

    if (Boolean(input.question) === Boolean(input.questionId)) {
      throw new DomainError("invalid_input", "give either a new question or the questionId to wait for", {
        issues: [{ field: "question", message: "give a question, or questionId to keep waiting" }],
      });
    }
    const run = await resolveAgentRun(db, actor, { runId: input.runId, taskId: input.taskId });
    let questionId = input.questionId;
    if (!questionId) {
      const { type: _type, ...question } = parseAs(
        ElicitationCreate,
        given({
          type: "elicitation",
          body: input.question,
          choices: input.choices,
          multiple: input.multiple,
          askedOfId: input.askedOfId,
        }),
      );
      const asked = await askQuestion(db, actor, run, question);
      // A client that can show a form is asked at once; a question put to a named person is theirs (core's
      // answerInClient refuses the client's answer to it), so that one is waited for as in the 2025 era.
      if (call.canElicit && !question.askedOfId) return askInClient(asked.question);
      questionId = asked.question.id;
    }
    return done(await awaitAnswer(db, actor, run, questionId, wait, "questionId"));
  },
  summarize: ({ status, questionId, answer, answeredInClient }) => {
    if (status === "waiting") {
      return `Still waiting for an answer. Call taskflow_ask_and_wait again with questionId ${questionId} (and no question).`;
    }
    const picked = answer?.answer?.selected?.length ? `Picked: ${answer.answer.selected.join(", ")}. ` : "";
    const where = answeredInClient ? "Answered in your client (recorded on the run)" : "Answered";
    return `${where}. ${picked}${answer?.body ?? ""}`.trim();
  },
});
