// Insights in a real browser: the built dashboard (`next start`) against the real API on its own database. A
// history is made through the API (an agent claims, hands in, is sent back, is approved; a person completes
// their own task), then the project's and the agent's insights pages show SVG charts drawn on the server, each
// with its table of the same numbers (hidden until asked for, always there for screen readers).
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Project, Task, Worker } from "@taskflow/contracts";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestApi } from "../../../api/test/support/test-api.ts";
import { type RunningWeb, webDir } from "../../launch.ts";
import { type SignedInWeb, startSignedInWeb } from "./signed-in-web.ts";

const artifacts = join(webDir, "test-results");

let stack: SignedInWeb;
let api: TestApi;
let web: RunningWeb;

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  stack = await startSignedInWeb();
  ({ api, web } = stack);
}, 900_000);

afterAll(() => stack?.stop(), 60_000);

/** An organization whose owner has a project with some history, and the agent that made part of it. */
async function history() {
  const orgId = api.newTenant();
  const owner = await api.signIn({ orgId, orgRole: "owner", name: "Olive Owner" });
  const call = async <T>(method: string, path: string, token: string, body?: unknown) => {
    const res = await api.call<T>(method, path, { token, ...(body !== undefined ? { body } : {}) });
    expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
    return res.body;
  };
  const project = await call<Project>("POST", "/api/projects", owner.token, { name: "Charted" });
  const { agent, apiKey } = await call<{ agent: Worker; apiKey: { key: string } }>(
    "POST",
    "/api/agents",
    owner.token,
    {
      handle: "@charter",
      name: "Charter",
      agentType: "claude-code",
    },
  );
  await call("POST", `/api/projects/${project.id}/members`, owner.token, {
    workerId: agent.id,
    role: "member",
  });
  const newTask = (title: string) =>
    call<Task>("POST", `/api/projects/${project.id}/tasks`, owner.token, { title });
  const agentTask = await newTask("Agent work");
  await call("POST", `/api/tasks/${agentTask.id}/claim`, apiKey.key);
  await call("PATCH", `/api/tasks/${agentTask.id}/status`, apiKey.key, { status: "review" });
  await call("POST", `/api/tasks/${agentTask.id}/reject`, owner.token, { reason: "Add a test" });
  await call("PATCH", `/api/tasks/${agentTask.id}/status`, apiKey.key, { status: "review" });
  await call("POST", `/api/tasks/${agentTask.id}/approve`, owner.token);
  const ownTask = await newTask("Own work");
  await call("PATCH", `/api/tasks/${ownTask.id}/status`, owner.token, { status: "in_progress" });
  await call("PATCH", `/api/tasks/${ownTask.id}/status`, owner.token, { status: "completed" });
  await newTask("Waiting");
  const person = { sub: owner.sub, name: "Olive Owner", orgId, orgRole: "owner" as const };
  return { owner, project, agent, person };
}

/** The cells of a chart's table, row by row (header row first). */
async function tableOf(page: Page, chart: string): Promise<string[][]> {
  return page
    .locator(`table[data-table="${chart}"] tr`)
    .evaluateAll((rows) =>
      rows.map((row) => [...row.children].map((cell) => (cell.textContent ?? "").trim())),
    );
}

describe("insights in the browser", () => {
  it("draws the project's charts on the server, each with a table of its numbers", async () => {
    const { project, person } = await history();
    const context = await stack.contextFor(person);
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    try {
      await page.goto(`${web.url}/projects/${project.id}`);
      await page.getByRole("navigation", { name: "Project" }).getByRole("link", { name: "Insights" }).click();
      await page.waitForURL(`**/projects/${project.id}/insights`);
      for (const title of [
        "Cumulative flow",
        "Throughput per week",
        "Time in review and cycle time",
        "Agents",
      ]) {
        await page.getByRole("heading", { name: title, exact: true }).waitFor();
      }
      // Four SVG images, each named by a sentence of what it shows.
      const images = page.locator("svg[role=img]");
      expect(await images.count()).toBe(4);
      const throughput = await page
        .locator('[data-chart="throughput"] svg[role=img]')
        .getAttribute("aria-label");
      expect(throughput).toContain("1 by people, 1 by agents");
      expect(await page.locator('[data-chart="throughput"] rect').count()).toBeGreaterThan(0);
      expect(await page.locator('[data-chart="cumulative-flow"] polygon').count()).toBe(5);

      // The tables are in the page for screen readers, visually hidden until asked for.
      const flow = await tableOf(page, "cumulative-flow");
      expect(flow[0]).toEqual(["Day", "Pending", "Blocked", "In progress", "In review", "Completed"]);
      expect(flow.at(-1)?.slice(1)).toEqual(["1", "0", "0", "0", "2"]);
      expect(await page.locator('table[data-table="cumulative-flow"]').isVisible()).toBe(true);
      expect(
        await page
          .locator('table[data-table="cumulative-flow"]')
          .evaluate((t) => t.closest(".sr-only") !== null),
      ).toBe(true);
      const agents = await tableOf(page, "agent-activity");
      expect(agents[1]?.slice(0, 5)).toEqual(["@charter", "1", "1", "1", "0"]);
      const times = await tableOf(page, "flow-times");
      expect(times.map((row) => row.slice(0, 2))).toEqual([
        ["Measure", "Measured"],
        ["Time in review", "2"],
        ["Cycle time", "2"],
      ]);

      await page.getByRole("link", { name: "Show the numbers as tables" }).click();
      await page.waitForURL(/view=table/);
      expect(
        await page.locator('table[data-table="throughput"]').evaluate((t) => t.closest(".sr-only") === null),
      ).toBe(true);
      await page.screenshot({ path: join(artifacts, "insights-01-project-tables.png"), fullPage: true });

      // The charts cost no script: the page loads no more JavaScript than the project's activity page.
      const scriptBytes = async (path: string) => {
        const fresh = await context.newPage();
        const sizes: Promise<number>[] = [];
        fresh.on("response", (response) => {
          if (response.request().resourceType() === "script")
            sizes.push(response.body().then((b) => b.length));
        });
        await fresh.goto(`${web.url}${path}`, { waitUntil: "networkidle" });
        const bytes = (await Promise.all(sizes)).reduce((a, b) => a + b, 0);
        await fresh.close();
        return bytes;
      };
      const insightsScript = await scriptBytes(`/projects/${project.id}/insights`);
      const activityScript = await scriptBytes(`/projects/${project.id}/activity`);
      process.stdout.write(
        `JavaScript: insights ${insightsScript} B, activity ${activityScript} B (uncompressed)\n`,
      );
      expect(insightsScript).toBeGreaterThan(0);
      expect(insightsScript).toBeLessThanOrEqual(activityScript);

      // A window the API refuses is said, and the default window shown.
      await page.goto(`${web.url}/projects/${project.id}/insights?from=2026-02-30`);
      await page.getByRole("alert").filter({ hasText: "from" }).waitFor();
      await page.getByRole("heading", { name: "Cumulative flow" }).waitFor();
    } finally {
      await context.close();
    }
  });

  it("shows what an agent did, and looks right narrow and wide, light and dark", async () => {
    const { project, agent, person } = await history();
    const context = await stack.contextFor(person);
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    try {
      await page.goto(`${web.url}/agents/${agent.id}`);
      await page.getByRole("link", { name: /^Insights:/ }).click();
      await page.waitForURL(`**/agents/${agent.id}/insights`);
      await page.getByRole("heading", { name: "Per week" }).waitFor();
      const weeks = await tableOf(page, "agent-weeks");
      expect(weeks[0]).toEqual(["Week of", "Claims", "Completions", "Rejections", "Stop requests"]);
      expect(weeks.at(-1)?.slice(1)).toEqual(["1", "1", "1", "0"]);
      const counts = await tableOf(page, "agent-activity");
      expect(counts[1]?.slice(0, 5)).toEqual(["@charter", "1", "1", "1", "0"]);
    } finally {
      await context.close();
    }
    for (const colorScheme of ["light", "dark"] as const) {
      for (const width of [390, 1280]) {
        const shot = await stack.contextFor(person, {
          colorScheme,
          viewport: { width, height: 900 },
        });
        const view = await shot.newPage();
        try {
          await view.goto(`${web.url}/projects/${project.id}/insights`);
          await view.getByRole("heading", { name: "Cumulative flow" }).waitFor();
          // Nothing scrolls sideways at a phone's width: the charts scale to the page.
          const overflow = await view.evaluate(
            () => document.documentElement.scrollWidth - window.innerWidth,
          );
          expect(overflow, `${colorScheme} ${width}px`).toBeLessThanOrEqual(0);
          await view.screenshot({
            path: join(artifacts, `insights-project-${width}-${colorScheme}.png`),
            fullPage: true,
          });
        } finally {
          await shot.close();
        }
      }
    }
  });
});
