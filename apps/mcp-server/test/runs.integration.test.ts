import type { ActivityPage, AgentRun, RunActivity, RunList, Task } from "@taskflow/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Era, eras, startTestMcp, type TestMcp } from "./support/test-mcp.ts";

let mcp: TestMcp;
beforeAll(async () => {
  mcp = await startTestMcp();
});
afterAll(() => mcp.close());

interface Waited {
  status: "answered" | "waiting";
  questionId: string;
  run: AgentRun;
  answer: RunActivity | null;
}

/** An organization whose agent claimed a task through MCP (its run is open). */
async function claimedTask(era: Era) {
  const org = await mcp.organization();
  const agent = await org.agent(`runner-${org.tenant.slice(-6)}`);
  const task = (
    await mcp.api.call<Task>("POST", `/api/projects/${org.project.id}/tasks`, {
      token: org.owner.token,
      body: { title: "Choose the cache" },
    })
  ).body;
  const client = await mcp.connect(agent.key, era);
  const claimed = await client.call("taskflow_claim_task", { taskId: task.id });
  expect(claimed.isError, claimed.text).toBe(false);
  return { org, agent, task, client };
}

// In each protocol era, through the real SDK client of that era.
describe.each(eras)("agent runs through MCP in the %s era", (era) => {
  it("an agent posts thoughts and actions, asks with choices, is told to call again, and gets the answer", async () => {
    const { org, task, client } = await claimedTask(era);
    try {
      const thought = await client.call<{ run: AgentRun; activity: RunActivity }>("taskflow_post_activity", {
        taskId: task.id,
        type: "thought",
        body: "Redis or an in-process LRU?",
      });
      expect(thought.isError, thought.text).toBe(false);
      const runId = thought.data.run.id;
      const action = await client.call("taskflow_post_activity", {
        runId,
        type: "action",
        tool: "measure",
        parameters: { keys: 10_000 },
        result: "p99 0.4 ms",
      });
      expect(action.isError, action.text).toBe(false);

      const asked = await client.call<Waited>("taskflow_ask_and_wait", {
        runId,
        question: "Which cache?",
        choices: [
          { value: "redis", label: "Redis" },
          { value: "lru", label: "In-process LRU" },
        ],
        waitSeconds: 1,
      });
      expect(asked.isError, asked.text).toBe(false);
      expect(asked.data.status).toBe("waiting");
      expect(asked.data.run.state).toBe("awaiting_input");
      expect(asked.text).toContain(`questionId ${asked.data.questionId}`);

      // The agent waits again; a person answers through the API meanwhile: the waiting call returns the answer.
      const waiting = client.call<Waited>("taskflow_ask_and_wait", {
        runId,
        questionId: asked.data.questionId,
        waitSeconds: 20,
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      const started = Date.now();
      const answer = await mcp.api.call("POST", `/api/runs/${runId}/activities`, {
        token: org.owner.token,
        body: { type: "prompt", answers: asked.data.questionId, selected: ["lru"], body: "Keep it simple" },
      });
      expect(answer.status).toBe(201);
      const answered = await waiting;
      // Woken by the project's events, not by the 2 s poll.
      expect(Date.now() - started).toBeLessThan(1_500);
      expect(answered.isError, answered.text).toBe(false);
      expect(answered.data.status).toBe("answered");
      expect(answered.data.answer?.answer?.selected).toEqual(["lru"]);
      expect(answered.text).toContain("Picked: lru");

      // The answer was handed out: read_prompts has nothing new, then a new message arrives.
      const none = await client.call<{ prompts: RunActivity[] }>("taskflow_read_prompts", { runId });
      expect(none.data.prompts).toEqual([]);
      await mcp.api.call("POST", `/api/runs/${runId}/activities`, {
        token: org.owner.token,
        body: { type: "prompt", body: "And add a TTL" },
      });
      const fresh = await client.call<{ prompts: RunActivity[] }>("taskflow_read_prompts", {
        taskId: task.id,
      });
      expect(fresh.data.prompts.map((p) => p.body)).toEqual(["And add a TTL"]);
      const again = await client.call<{ prompts: RunActivity[] }>("taskflow_read_prompts", { runId });
      expect(again.data.prompts).toEqual([]);

      const done = await client.call<{ run: AgentRun }>("taskflow_post_activity", {
        runId,
        type: "response",
        body: "LRU with a TTL, merged.",
      });
      expect(done.data.run.state).toBe("completed");
      const page = await mcp.api.call<ActivityPage>("GET", `/api/runs/${runId}/activities`, {
        token: org.owner.token,
      });
      expect(page.body.items.map((a) => a.type)).toEqual([
        "thought",
        "action",
        "elicitation",
        "prompt",
        "prompt",
        "response",
      ]);
    } finally {
      await client.close();
    }
  });

  it("refuses what REST refuses, naming the field, and a person's prompt through MCP reaches the run", async () => {
    const { org, task, client } = await claimedTask(era);
    try {
      const unsafe = await client.call("taskflow_post_activity", {
        taskId: task.id,
        type: "thought",
        body: "hidden \u202e text",
      });
      expect(unsafe.isError).toBe(true);
      expect(unsafe.text).toContain("body");
      const noQuestion = await client.call("taskflow_ask_and_wait", { taskId: task.id });
      expect(noQuestion.isError).toBe(true);
      expect(noQuestion.text).toContain("question");

      const runs = await mcp.api.call<RunList>("GET", `/api/tasks/${task.id}/runs`, {
        token: org.owner.token,
      });
      const runId = runs.body.items[0]?.id as string;
      const person = await mcp.connect(await mcp.personToken(org.tenant, org.owner.sub), era);
      try {
        const prompt = await person.call<{ run: AgentRun }>("taskflow_post_activity", {
          runId,
          type: "prompt",
          body: "Please also benchmark it",
        });
        expect(prompt.isError, prompt.text).toBe(false);
        expect(prompt.data.run.state).toBe("pending");
        const thinkForIt = await person.call("taskflow_post_activity", {
          runId,
          type: "thought",
          body: "hm",
        });
        expect(thinkForIt.isError).toBe(true);
      } finally {
        await person.close();
      }
      const heard = await client.call<{ prompts: RunActivity[] }>("taskflow_read_prompts", { runId });
      expect(heard.data.prompts.map((p) => p.body)).toEqual(["Please also benchmark it"]);
    } finally {
      await client.close();
    }
  });
});
