// Agent runs and dispatch (issue 15): what core offers the API, the MCP server and the tests.
export { AgentDispatcher } from "../dispatch/agent-dispatcher.ts";
export {
  authorizeAgentEndpoint,
  deleteAgentEndpoint,
  getAgentEndpoint,
  rotateAgentEndpointSecret,
  setAgentEndpoint,
} from "../dispatch/agent-endpoints.ts";
export { type AgentDispatch, listAgentDispatches } from "../dispatch/list-dispatches.ts";
export { OutboxSender, type OutboxSettings, outboxDefaults } from "../outbox/outbox-sender.ts";
export { answerInClient, type ClientAnswerState, type ClientReply } from "./answer-in-client.ts";
export {
  authorizeAgentActivity,
  authorizePrompt,
  authorizeRun,
  authorizeRunPrompt,
} from "./authorize-run.ts";
export {
  type AnswerState,
  type AnswerWait,
  askQuestion,
  awaitAnswer,
  type ProjectWatch,
  readAnswer,
} from "./await-answer.ts";
export { type PostedActivity, postActivity } from "./post-activity.ts";
export { type NewPrompts, readNewPrompts } from "./read-prompts.ts";
export { getActivity, getRun, listActivities, listAgentRuns, listTaskRuns } from "./read-runs.ts";
export { type RunReference, resolveAgentRun } from "./resolve-run.ts";
export { isRunEvent, runEventsSince } from "./run-events.ts";
export { endedStates, stateAfter } from "./run-state.ts";
export { defaultRunStaleSeconds, markStaleRuns, startStaleRunSweeper } from "./stale-runs.ts";
