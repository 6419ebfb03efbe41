import {
  CLIENT_CAPABILITIES_META_KEY,
  CLIENT_INFO_META_KEY,
  type ElicitRequest,
  type ElicitResult,
  Client as ModernClient,
  StreamableHTTPClientTransport as ModernHttpTransport,
  PROTOCOL_VERSION_META_KEY,
} from "@modelcontextprotocol/client";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ElicitRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import type { ActivityPage, AgentRun, AuditPage, RunActivity, Task } from "@taskflow/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestMcp, type TestMcp } from "./support/test-mcp.ts";

/**
 * `taskflow_ask_and_wait` as an MCP 2026-07-28 `input_required` result (issue 18): a client that declares the
 * elicitation capability is asked at once and its user's answer is recorded on the run; a person on TaskFlow may
 * answer first; a client without the capability, a question put to a named person, and the 2025 era wait and say
 * "call again". The state the client echoes is refused when it names another run, another tenant's question, or
 * nothing this server handed out, and a replay records no second answer.
 */
let mcp: TestMcp;
beforeAll(async () => {
  mcp = await startTestMcp();
});
afterAll(() => mcp.close());

interface Waited {
  status: "answered" | "waiting";
  questionId: string;
  run: AgentRun;
  question: RunActivity;
  answer: RunActivity | null;
  answeredInClient: boolean;
}

const choices = [
  { value: "redis", label: "Redis" },
  { value: "lru", label: "In-process LRU" },
];

/** An organization whose agent has a task to work on (and its owner, to answer through REST). */
async function agentWithTask() {
  const org = await mcp.organization();
  const agent = await org.agent(`asker-${org.tenant.slice(-6)}`);
  const task = async (title: string) =>
    (
      await mcp.api.call<Task>("POST", `/api/projects/${org.project.id}/tasks`, {
        token: org.owner.token,
        body: { title },
      })
    ).body;
  return { org, agent, task: await task("Choose the cache"), newTask: task };
}

/** The v2 SDK client pinned to 2026-07-28, declaring form elicitation and answering with `answer`. */
async function elicitingClient(key: string, answer: (request: ElicitRequest) => Promise<ElicitResult>) {
  const client = new ModernClient(
    { name: "eliciting-agent", version: "1.0.0" },
    { versionNegotiation: { mode: { pin: "2026-07-28" } }, capabilities: { elicitation: { form: {} } } },
  );
  client.setRequestHandler("elicitation/create", answer);
  await client.connect(
    new ModernHttpTransport(new URL(mcp.mcpUrl), {
      requestInit: { headers: { authorization: `Bearer ${key}` } },
    }),
  );
  return client;
}

async function call(client: ModernClient | Client, name: string, args: Record<string, unknown>) {
  const result = await client.callTool({ name, arguments: args });
  const content = Array.isArray(result.content) ? result.content : [];
  const text = content.map((c) => (c.type === "text" ? c.text : "")).join("\n");
  return { isError: result.isError === true, text, data: result.structuredContent as unknown as Waited };
}

async function activities(runId: string, token: string) {
  return (await mcp.api.call<ActivityPage>("GET", `/api/runs/${runId}/activities`, { token })).body.items;
}

describe("an agent's question as input_required (2026-07-28)", () => {
  it("asks a client that declares elicitation, and records its user's answer on the run", async () => {
    const { org, agent, task } = await agentWithTask();
    const asked: ElicitRequest[] = [];
    const client = await elicitingClient(agent.key, async (request) => {
      asked.push(request);
      return { action: "accept", content: { answer: "lru" } };
    });
    try {
      const result = await call(client, "taskflow_ask_and_wait", {
        taskId: task.id,
        question: "Which cache?",
        choices,
      });
      expect(result.isError, result.text).toBe(false);
      // The question reached the client as a form: its words, its choices as an enum.
      expect(asked).toHaveLength(1);
      const params = asked[0]?.params;
      expect(params?.message).toBe("Which cache?");
      expect(params && "requestedSchema" in params ? params.requestedSchema.properties.answer : null).toEqual(
        {
          type: "string",
          title: "Your answer",
          oneOf: [
            { const: "redis", title: "Redis" },
            { const: "lru", title: "In-process LRU" },
          ],
        },
      );
      expect(result.data.status).toBe("answered");
      expect(result.data.answeredInClient).toBe(true);
      expect(result.data.answer?.answer).toEqual({
        elicitationId: result.data.questionId,
        selected: ["lru"],
      });
      expect(result.text).toContain("Answered in your client");

      // On the run, through REST: the question and its answer, by the agent's own caller, the run no longer waits.
      const items = await activities(result.data.run.id, org.owner.token);
      expect(items.map((a) => a.type)).toEqual(["elicitation", "prompt"]);
      expect(items[0]?.elicitation?.answeredById).toBe(items[1]?.id);
      expect(items[1]?.authorId).toBe(agent.id);
      expect(items[1]?.answer?.selected).toEqual(["lru"]);
      const run = await mcp.api.call<AgentRun>("GET", `/api/runs/${result.data.run.id}`, {
        token: org.owner.token,
      });
      expect(run.body.state).not.toBe("awaiting_input");
      // Audited as every answer is (run.prompt), by the caller whose client answered, through MCP.
      const audit = await mcp.api.call<AuditPage>("GET", `/api/projects/${org.project.id}/audit?limit=100`, {
        token: org.owner.token,
      });
      const answerEntry = audit.body.items.find((e) => e.entityType === "run" && e.action === "run.prompt");
      expect(answerEntry).toMatchObject({ actorId: agent.id, actorType: "agent", channel: "mcp" });
      // Handed out already: read_prompts does not give the answer again.
      const prompts = await call(client, "taskflow_read_prompts", { runId: result.data.run.id });
      expect((prompts.data as unknown as { prompts: RunActivity[] }).prompts).toEqual([]);
    } finally {
      await client.close();
    }
  });

  it("takes several choices and free text in the forms they need", async () => {
    const { agent, task } = await agentWithTask();
    const schemas: unknown[] = [];
    const client = await elicitingClient(agent.key, async (request) => {
      const params = request.params;
      const answer = params && "requestedSchema" in params ? params.requestedSchema.properties.answer : null;
      schemas.push(answer);
      return {
        action: "accept",
        content: { answer: answer?.type === "array" ? ["redis", "lru"] : "Use both, LRU in front" },
      };
    });
    try {
      const several = await call(client, "taskflow_ask_and_wait", {
        taskId: task.id,
        question: "Which caches?",
        choices,
        multiple: true,
      });
      expect(several.isError, several.text).toBe(false);
      expect(several.data.answer?.answer?.selected).toEqual(["redis", "lru"]);
      const words = await call(client, "taskflow_ask_and_wait", { taskId: task.id, question: "Why?" });
      expect(words.isError, words.text).toBe(false);
      expect(words.data.answer?.body).toBe("Use both, LRU in front");
      expect(schemas).toEqual([
        {
          type: "array",
          title: "Your answer",
          minItems: 1,
          items: { anyOf: choices.map((c) => ({ const: c.value, title: c.label })) },
        },
        { type: "string", title: "Your answer", minLength: 1, maxLength: expect.any(Number) },
      ]);
    } finally {
      await client.close();
    }
  });

  it("a person on TaskFlow may answer first: theirs stands and the client's is not recorded", async () => {
    const { org, agent, task } = await agentWithTask();
    const client = await elicitingClient(agent.key, async (request) => {
      // While the client's user thinks, the owner answers on TaskFlow.
      const runs = await mcp.api.call<{ items: AgentRun[] }>("GET", `/api/tasks/${task.id}/runs`, {
        token: org.owner.token,
      });
      const runId = runs.body.items[0]?.id as string;
      const question = (await activities(runId, org.owner.token)).find((a) => a.type === "elicitation");
      expect(request.params?.message).toBe(question?.body);
      const person = await mcp.api.call("POST", `/api/runs/${runId}/activities`, {
        token: org.owner.token,
        body: { type: "prompt", answers: question?.id, selected: ["redis"] },
      });
      expect(person.status).toBe(201);
      return { action: "accept", content: { answer: "lru" } };
    });
    try {
      const result = await call(client, "taskflow_ask_and_wait", {
        taskId: task.id,
        question: "Which?",
        choices,
      });
      expect(result.isError, result.text).toBe(false);
      expect(result.data.status).toBe("answered");
      expect(result.data.answeredInClient).toBe(false);
      expect(result.data.answer?.answer?.selected).toEqual(["redis"]);
      expect(result.data.answer?.authorId).toBe(org.owner.workerId);
      const items = await activities(result.data.run.id, org.owner.token);
      expect(items.filter((a) => a.type === "prompt")).toHaveLength(1);
    } finally {
      await client.close();
    }
  });

  it("declined in the client, the question stays open for people and is waited for", async () => {
    const { org, agent, task } = await agentWithTask();
    let asked = 0;
    const client = await elicitingClient(agent.key, async () => {
      asked += 1;
      return { action: "decline" };
    });
    try {
      const declined = await call(client, "taskflow_ask_and_wait", {
        taskId: task.id,
        question: "Which?",
        choices,
        waitSeconds: 0,
      });
      expect(declined.isError, declined.text).toBe(false);
      expect(asked).toBe(1);
      expect(declined.data.status).toBe("waiting");
      expect(declined.data.run.state).toBe("awaiting_input");
      expect(declined.text).toContain(`questionId ${declined.data.questionId}`);
      await mcp.api.call("POST", `/api/runs/${declined.data.run.id}/activities`, {
        token: org.owner.token,
        body: { type: "prompt", answers: declined.data.questionId, selected: ["lru"] },
      });
      const later = await call(client, "taskflow_ask_and_wait", {
        taskId: task.id,
        questionId: declined.data.questionId,
        waitSeconds: 0,
      });
      expect(later.data.status).toBe("answered");
      expect(later.data.answer?.answer?.selected).toEqual(["lru"]);
    } finally {
      await client.close();
    }
  });

  it("a question put to a named person is theirs: the client is not asked, the call waits", async () => {
    const { org, agent, task } = await agentWithTask();
    let asked = 0;
    const client = await elicitingClient(agent.key, async () => {
      asked += 1;
      return { action: "accept", content: { answer: "lru" } };
    });
    try {
      const result = await call(client, "taskflow_ask_and_wait", {
        taskId: task.id,
        question: "Which?",
        choices,
        askedOfId: org.owner.workerId,
        waitSeconds: 0,
      });
      expect(result.isError, result.text).toBe(false);
      expect(result.data.status).toBe("waiting");
      expect(asked).toBe(0);
    } finally {
      await client.close();
    }
  });

  it("a 2026 client without the elicitation capability waits and is told to call again", async () => {
    const { agent, task } = await agentWithTask();
    const client = await mcp.connect(agent.key, "2026-07-28");
    try {
      const result = await client.call<Waited>("taskflow_ask_and_wait", {
        taskId: task.id,
        question: "Which?",
        choices,
        waitSeconds: 0,
      });
      expect(result.isError, result.text).toBe(false);
      expect(result.data.status).toBe("waiting");
      expect(result.text).toContain(
        `Call taskflow_ask_and_wait again with questionId ${result.data.questionId}`,
      );
    } finally {
      await client.close();
    }
  });

  it("the 2025 era keeps the waiting tool, even for a client that declares elicitation", async () => {
    const { agent, task } = await agentWithTask();
    const client = new Client(
      { name: "eliciting-2025-agent", version: "1.0.0" },
      { capabilities: { elicitation: {} } },
    );
    let asked = 0;
    client.setRequestHandler(ElicitRequestSchema, async () => {
      asked += 1;
      return { action: "accept", content: { answer: "lru" } };
    });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(mcp.mcpUrl), {
        requestInit: { headers: { authorization: `Bearer ${agent.key}` } },
      }),
    );
    try {
      const result = await call(client, "taskflow_ask_and_wait", {
        taskId: task.id,
        question: "Which?",
        choices,
        waitSeconds: 0,
      });
      expect(result.isError, result.text).toBe(false);
      expect(result.data.status).toBe("waiting");
      expect(asked).toBe(0);
    } finally {
      await client.close();
    }
  });
});

// The echoed state on the wire, as a client could forge it.
const elicitingEnvelope = {
  [PROTOCOL_VERSION_META_KEY]: "2026-07-28",
  [CLIENT_INFO_META_KEY]: { name: "raw-2026-client", version: "1.0.0" },
  [CLIENT_CAPABILITIES_META_KEY]: { elicitation: { form: {} } },
};

interface WireResult {
  resultType?: string;
  requestState?: string;
  inputRequests?: Record<string, { method: string; params: { message: string } }>;
  isError?: boolean;
  content?: { type: string; text: string }[];
  structuredContent?: Waited;
}

let ids = 0;
/** One 2026-07-28 `tools/call` of ask-and-wait, with what a retry adds (`inputResponses`, `requestState`). */
async function askOnTheWire(
  key: string,
  args: Record<string, unknown>,
  retry: { requestState?: string; inputResponses?: Record<string, unknown> } = {},
): Promise<WireResult> {
  const name = "taskflow_ask_and_wait";
  const response = await fetch(mcp.mcpUrl, {
    method: "POST",
    headers: {
      authorization: `Bearer ${key}`,
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      "mcp-protocol-version": "2026-07-28",
      "mcp-method": "tools/call",
      "mcp-name": name,
    },
    body: JSON.stringify({
      jsonrpc: "2.0",
      id: ++ids,
      method: "tools/call",
      params: { name, arguments: args, ...retry, _meta: elicitingEnvelope },
    }),
  });
  expect(response.status).toBe(200);
  const body = (await response.json()) as { result?: WireResult; error?: unknown };
  expect(body.error).toBeUndefined();
  return body.result as WireResult;
}

const accept = (answer: unknown) => ({ answer: { action: "accept", content: { answer } } });
const state = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
const textOf = (result: WireResult) => result.content?.map((c) => c.text).join("\n") ?? "";

describe("the state a client echoes is not believed", () => {
  it("refuses another run's state, another tenant's question and garbage; a replay records nothing", async () => {
    const { org, agent, task, newTask } = await agentWithTask();
    const args = { taskId: task.id, question: "Which cache?", choices };
    const first = await askOnTheWire(agent.key, args);
    expect(first.resultType).toBe("input_required");
    expect(first.inputRequests?.answer?.method).toBe("elicitation/create");
    expect(first.inputRequests?.answer?.params.message).toBe("Which cache?");
    const requestState = first.requestState as string;

    // Another tenant's agent, on its own task, echoing this state: not its run.
    const other = await agentWithTask();
    const foreign = await askOnTheWire(
      other.agent.key,
      { taskId: other.task.id, question: "Which cache?", choices },
      { requestState, inputResponses: accept("lru") },
    );
    expect(foreign.isError).toBe(true);
    expect(textOf(foreign)).toContain("requestState");
    // …nor by naming the run itself: another tenant's run is not found.
    const { runId: firstRun, questionId } = JSON.parse(Buffer.from(requestState, "base64url").toString()) as {
      runId: string;
      questionId: string;
    };
    const foreignRun = await askOnTheWire(
      other.agent.key,
      { runId: firstRun, question: "Which cache?", choices },
      { requestState, inputResponses: accept("lru") },
    );
    expect(foreignRun.isError).toBe(true);
    expect(textOf(foreignRun)).toMatch(/not found/i);
    // …nor by forging a state of its own run that names this tenant's question.
    const otherAsked = await askOnTheWire(other.agent.key, { taskId: other.task.id, question: "Mine?" });
    const otherRun = (
      JSON.parse(Buffer.from(otherAsked.requestState as string, "base64url").toString()) as { runId: string }
    ).runId;
    const forged = await askOnTheWire(
      other.agent.key,
      { runId: otherRun, question: "Mine?" },
      { requestState: state({ runId: otherRun, questionId }), inputResponses: accept("lru") },
    );
    expect(forged.isError).toBe(true);
    expect(textOf(forged)).toContain("not a question of this run");

    // Another agent of the same project, naming the run: the run is the asking agent's, not theirs.
    const colleague = await org.agent(`colleague-${org.tenant.slice(-6)}`);
    const notTheirs = await askOnTheWire(
      colleague.key,
      { runId: firstRun, question: "Which cache?", choices },
      { requestState, inputResponses: accept("lru") },
    );
    expect(notTheirs.isError).toBe(true);
    expect(textOf(notTheirs)).toContain("another agent's");

    // The same agent, on another task (another run), echoing the first run's state.
    const second = await newTask("Choose the queue");
    const otherTask = await askOnTheWire(
      agent.key,
      { taskId: second.id, question: "Which cache?", choices },
      { requestState, inputResponses: accept("lru") },
    );
    expect(otherTask.isError).toBe(true);
    expect(textOf(otherTask)).toContain("another run");

    // Not a state this server handed out.
    const garbage = await askOnTheWire(agent.key, args, {
      requestState: "eyJub3QiOiJ0aGlzIn0",
      inputResponses: accept("lru"),
    });
    expect(garbage.isError).toBe(true);
    expect(textOf(garbage)).toContain("requestState");
    // A choice that was not offered.
    const unoffered = await askOnTheWire(agent.key, args, {
      requestState,
      inputResponses: accept("memcached"),
    });
    expect(unoffered.isError).toBe(true);
    expect(textOf(unoffered)).toContain("not offered");

    // Nothing of that was recorded; the real answer is, once, and its replay changes nothing.
    const before = await activities(firstRun, org.owner.token);
    expect(before.map((a) => a.type)).toEqual(["elicitation"]);
    const answered = await askOnTheWire(agent.key, args, { requestState, inputResponses: accept("redis") });
    expect(answered.isError, textOf(answered)).toBeFalsy();
    expect(answered.resultType).toBe("complete");
    expect(answered.structuredContent?.answeredInClient).toBe(true);
    const replayed = await askOnTheWire(agent.key, args, { requestState, inputResponses: accept("lru") });
    expect(replayed.structuredContent?.answeredInClient).toBe(false);
    expect(replayed.structuredContent?.answer?.answer?.selected).toEqual(["redis"]);
    const after = await activities(firstRun, org.owner.token);
    expect(after.map((a) => a.type)).toEqual(["elicitation", "prompt"]);
    expect(after[1]?.answer?.selected).toEqual(["redis"]);
    // The other tenant's question is untouched.
    const theirs = await activities(otherRun, other.org.owner.token);
    expect(theirs.map((a) => a.type)).toEqual(["elicitation"]);
  });
});
