// An agent run in a real browser: the built dashboard (`next start`) against the real API and MCP server on one
// database, Chromium's own EventSource, the agent on the real MCP SDK client with its key. Bob, signed in (his
// session sealed here as the dashboard seals it after a sign-in), assigns the agent a task from the task page and
// @mentions it in a comment: its endpoint, the receiver code docs/agent-dispatch.md ships, gets a signed delivery
// each time (and refuses a forged one). The agent claims the task, thinks, acts and asks Bob a question with
// choices; Bob's open task page shows each step, and his inbox badge the question, without a reload; he clicks a
// choice; the agent's waiting call returns it; the agent responds and the page shows the run completed; the
// task's audit tells each step.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { AgentEndpointWithSecret, AuditPage, Project, RunActivity, Task } from "@taskflow/contracts";
import { signWebhookPayload } from "@taskflow/core";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDocsReceiver } from "../../../api/test/support/docs-receiver.ts";
import { dashboardClientId } from "../../../api/test/support/test-api.ts";
import { startTestMcp, type TestMcp } from "../../../mcp-server/test/support/test-mcp.ts";
import { type RunningWeb, webDir } from "../../launch.ts";
import { scopes } from "../../src/lib/oidc.ts";
import { type SignedInWeb, startSignedInWeb } from "./signed-in-web.ts";

const artifacts = join(webDir, "test-results");

let mcp: TestMcp;
let stack: SignedInWeb;
let web: RunningWeb;

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  mcp = await startTestMcp();
  // The dashboard against the API under the MCP server, so what an agent does there shows on its pages.
  stack = await startSignedInWeb({ api: mcp.api });
  web = stack.web;
}, 900_000);

afterAll(async () => {
  await stack?.stop();
  await mcp?.close();
}, 60_000);

const signedIn = (token: string, sub: string, name: string): Promise<BrowserContext> =>
  stack.contextForToken(token, { sub, name });

async function unreadBadge(page: Page): Promise<number | null> {
  const badge = page.getByTestId("inbox-badge");
  if ((await badge.count()) === 0) return null;
  return Number(await badge.getAttribute("data-unread"));
}

interface Waited {
  status: "answered" | "waiting";
  questionId: string;
  answer: RunActivity | null;
}

describe("an agent run, end to end", () => {
  it("dispatch, thoughts, actions, a question answered from the task page, the run completed, the audit", async () => {
    const { api } = mcp;
    const orgId = api.newTenant();
    const owner = await api.signIn({ orgId, orgRole: "owner", name: "Olive Owner" });
    const bob = await api.signIn({ orgId, orgRole: "member", name: "Bob" });
    const project = (
      await api.call<Project>("POST", "/api/projects", { token: owner.token, body: { name: "Runs" } })
    ).body;
    await api.call("POST", `/api/projects/${project.id}/members`, {
      token: owner.token,
      body: { workerId: bob.workerId, role: "admin" },
    });
    const registered = await api.call<{ agent: { id: string; handle: string }; apiKey: { key: string } }>(
      "POST",
      "/api/agents",
      { token: owner.token, body: { handle: "@builder", name: "Builder", agentType: "claude-code" } },
    );
    const agent = registered.body.agent;
    const key = registered.body.apiKey.key;
    await api.call("POST", `/api/projects/${project.id}/members`, {
      token: owner.token,
      body: { workerId: agent.id, role: "member" },
    });
    // The agent registers its endpoint; the docs' receiver listens there with the secret it was shown.
    const endpoint = await api.call<AgentEndpointWithSecret>("PUT", `/api/agents/${agent.id}/endpoint`, {
      token: key,
      body: { url: "http://127.0.0.1:9/placeholder" },
    });
    const receiver = await startDocsReceiver(endpoint.body.secret);
    await api.call("PUT", `/api/agents/${agent.id}/endpoint`, { token: key, body: { url: receiver.url } });
    const task = (
      await api.call<Task>("POST", `/api/projects/${project.id}/tasks`, {
        token: owner.token,
        body: { title: "Choose the database", description: "For the new service" },
      })
    ).body;

    const bobsToken = await api.issuer.mint({
      sub: bob.sub,
      orgId,
      orgRole: "member",
      azp: dashboardClientId,
      extra: { scope: scopes },
    });
    const context = await signedIn(bobsToken, bob.sub, "Bob");
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    const client = await mcp.connect(key);
    try {
      await page.goto(`${web.url}/tasks/${task.id}`);
      await page.getByRole("heading", { name: "Choose the database" }).waitFor();
      await page.getByTestId("live-state").and(page.locator('[data-state="live"]')).waitFor();

      // Dispatch from the dashboard: Bob assigns the agent, then @mentions it.
      await page.getByRole("button", { name: "(edit assignee)" }).click();
      await page.getByLabel("Assignee", { exact: true }).selectOption(agent.id);
      await page.getByLabel("Assignee", { exact: true }).press("Enter");
      const [assigned] = await receiver.waitFor(1);
      expect(assigned).toMatchObject({
        reason: "assigned",
        task: { id: task.id, title: "Choose the database" },
        by: { id: bob.workerId },
      });
      await page.getByLabel("Add a comment").fill(`${agent.handle} please start with the options`);
      await page.getByRole("button", { name: "Comment", exact: true }).click();
      const [, mentioned] = await receiver.waitFor(2);
      expect(mentioned).toMatchObject({ reason: "mentioned", run: { id: assigned?.run.id } });
      // The receiver refuses what TaskFlow did not sign.
      const forged = JSON.stringify({ ...mentioned, id: "forged" });
      const refused = await fetch(receiver.url, {
        method: "POST",
        headers: {
          "taskflow-signature": signWebhookPayload("whsec_guess", forged, Math.floor(Date.now() / 1000)),
        },
        body: forged,
      });
      expect(refused.status).toBe(401);
      await page.getByTestId("run-view").waitFor();
      await page.screenshot({ path: join(artifacts, "runs-01-dispatched.png"), fullPage: true });

      // From here on, nothing reloads the page: every step arrives live (a reload would lose this mark).
      await page.evaluate(() => {
        (window as unknown as { notReloaded: boolean }).notReloaded = true;
      });
      const badgeBefore = await unreadBadge(page);

      const claimed = await client.call("taskflow_claim_task", { taskId: task.id });
      expect(claimed.isError, claimed.text).toBe(false);
      const thought = await client.call<{ run: { id: string } }>("taskflow_post_activity", {
        taskId: task.id,
        type: "thought",
        body: "Comparing PostgreSQL and SQLite for this load",
      });
      expect(thought.isError, thought.text).toBe(false);
      const runId = thought.data.run.id;
      expect(runId).toBe(assigned?.run.id);
      await client.call("taskflow_post_activity", {
        runId,
        type: "action",
        tool: "benchmark",
        parameters: { rows: 1_000_000 },
        result: "PostgreSQL: 12k inserts/s; SQLite: 9k inserts/s",
      });
      const asked = await client.call<Waited>("taskflow_ask_and_wait", {
        runId,
        question: "Which database should I use?",
        choices: [
          { value: "postgres", label: "PostgreSQL" },
          { value: "sqlite", label: "SQLite" },
        ],
        askedOfId: bob.workerId,
        waitSeconds: 1,
      });
      expect(asked.data.status).toBe("waiting");

      const run = page.getByTestId("run-view");
      await run
        .locator('[data-testid="run-state"][data-state="awaiting_input"]')
        .waitFor({ timeout: 15_000 });
      const thoughtItem = run.locator('[data-activity-type="thought"] details');
      await thoughtItem.waitFor();
      expect(await thoughtItem.getAttribute("open")).toBeNull(); // collapsed
      await run.locator('[data-activity-type="action"]').getByText("PostgreSQL: 12k inserts/s").waitFor();
      await run.getByText("Which database should I use?").waitFor();
      if (badgeBefore !== null) {
        // The inbox half: Bob was asked, and his badge says so without a reload.
        await page
          .locator(`[data-testid="inbox-badge"][data-unread="${badgeBefore + 1}"]`)
          .waitFor({ timeout: 15_000 });
      }
      await page.screenshot({ path: join(artifacts, "runs-02-question.png"), fullPage: true });

      // The agent waits again; Bob answers with a click; the waiting call returns his choice.
      const waiting = client.call<Waited>("taskflow_ask_and_wait", {
        runId,
        questionId: asked.data.questionId,
        waitSeconds: 25,
      });
      await run.getByRole("button", { name: "PostgreSQL" }).click();
      const answered = await waiting;
      expect(answered.isError, answered.text).toBe(false);
      expect(answered.data.status).toBe("answered");
      expect(answered.data.answer?.answer?.selected).toEqual(["postgres"]);

      const done = await client.call("taskflow_post_activity", {
        runId,
        type: "response",
        body: "Using PostgreSQL: the migration is in the branch.",
      });
      expect(done.isError, done.text).toBe(false);
      await run.locator('[data-testid="run-state"][data-state="completed"]').waitFor({ timeout: 15_000 });
      await run.getByText("Using PostgreSQL: the migration is in the branch.").waitFor();
      await page.screenshot({ path: join(artifacts, "runs-03-completed.png"), fullPage: true });
      expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(
        true,
      );

      // The audit shows each step, in order.
      const audit = await api.call<AuditPage>("GET", `/api/tasks/${task.id}/audit?limit=100`, {
        token: bob.token,
      });
      const steps = audit.body.items
        .filter((entry) => entry.entityType === "run")
        .map((entry) => `${entry.action}:${entry.actorType}`)
        .reverse();
      expect(steps).toEqual([
        "run.opened:human",
        "run.prompt:human",
        "run.taken_up:agent",
        "run.thought:agent",
        "run.action:agent",
        "run.elicitation:agent",
        "run.prompt:human",
        "run.response:agent",
      ]);
      await page.getByRole("heading", { name: "Activity" }).waitFor();
      await page.getByText("answered the agent's question").first().waitFor();
    } finally {
      await client.close();
      await receiver.close();
      await context.close();
    }
  }, 300_000);
});
