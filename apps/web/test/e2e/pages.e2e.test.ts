// Every dashboard page in Chromium, seeded with a project that has a bit of everything: axe-core (injected by
// Playwright) finds no serious or critical violation in light or dark mode, dark mode has no light panel left
// behind, and screenshots at a phone's and a desktop's width, light and dark, are kept as artifacts.
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import type { Project, Task } from "@taskflow/contracts";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Person, type SignedInWeb, startSignedInWeb } from "./signed-in-web.ts";

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
/** Kept by CI as artifacts; git-ignored. */
const screenshots = fileURLToPath(new URL("./artifacts/screenshots/", import.meta.url));

let s: SignedInWeb;
let person: Person;
let pages: [name: string, path: string][];

/** A project with tasks in every column, a due date, a comment, a subtask, an agent at work with a run. */
async function seed() {
  const orgId = s.api.newTenant();
  const ada = await s.api.signIn({ orgId, orgRole: "owner", name: "Ada Lovelace" });
  const bob = await s.api.signIn({ orgId, orgRole: "member", name: "Bob Stone" });
  person = { sub: ada.sub, name: "Ada Lovelace", orgId, orgRole: "owner" };
  const call = <T>(method: string, path: string, body?: unknown, token = ada.token) =>
    s.api.call<T>(method, path, { token, ...(body !== undefined ? { body } : {}) }).then((r) => r.body);
  await call("PATCH", "/api/workers/me/preferences", { timeZone: "Europe/Paris" });
  const project = await call<Project>("POST", "/api/projects", {
    name: "Apollo",
    description: "The launch of the new service",
  });
  await call("POST", `/api/projects/${project.id}/members`, { workerId: bob.workerId, role: "admin" });
  const registered = await call<{ agent: { id: string }; apiKey: { key: string } }>("POST", "/api/agents", {
    handle: "@builder",
    name: "Builder Bot",
    agentType: "claude-code",
    joinProjects: [project.id],
  });
  const agentId = registered.agent.id;
  const task = (body: Record<string, unknown>) =>
    call<Task>("POST", `/api/projects/${project.id}/tasks`, body);
  const due = new Date(Date.now() + 26 * 3_600_000).toISOString();
  const main = await task({ title: "Choose the database", priority: "high", dueAt: due, tags: ["backend"] });
  await call("POST", `/api/tasks/${main.id}/comments`, { body: "Postgres or SQLite? @builder has a view." });
  await call("POST", `/api/projects/${project.id}/tasks`, { title: "Benchmark both", parentId: main.id });
  const started = await task({ title: "Write the schema", assigneeId: ada.workerId });
  await call("PATCH", `/api/tasks/${started.id}/status`, { status: "in_progress" });
  const review = await task({ title: "Review the migration plan", priority: "critical" });
  await call("PATCH", `/api/tasks/${review.id}/status`, { status: "in_progress" });
  await call("PATCH", `/api/tasks/${review.id}/status`, { status: "review" });
  // Bob gives Ada a task: her inbox has a notification.
  await call(
    "POST",
    `/api/projects/${project.id}/tasks`,
    { title: "Sign the release", assigneeId: ada.workerId },
    bob.token,
  );
  // Assigned to the agent by Ada: a run opens; the agent thinks aloud in it.
  const agentTask = await task({ title: "Set up CI", assigneeId: agentId });
  const runs = await call<{ id: string }[]>("GET", `/api/tasks/${agentTask.id}/runs`);
  const run = runs[0];
  if (run) {
    await call(
      "POST",
      `/api/runs/${run.id}/activities`,
      { type: "thought", body: "Reading the workflow files" },
      registered.apiKey.key,
    );
  }
  return [
    ["home", "/"],
    ["projects", "/projects"],
    ["board", `/projects/${project.id}`],
    ["task-list", `/projects/${project.id}/tasks`],
    ["task", `/tasks/${main.id}`],
    ["run-view", `/tasks/${agentTask.id}`],
    ["activity", `/projects/${project.id}/activity`],
    ["insights", `/projects/${project.id}/insights`],
    ["insights-tables", `/projects/${project.id}/insights?view=table`],
    ["settings", `/projects/${project.id}/settings`],
    ["agents", "/agents"],
    ["agent", `/agents/${agentId}`],
    ["agent-insights", `/agents/${agentId}/insights`],
    ["inbox", "/inbox"],
    ["account", "/account"],
    ["tokens", "/account/tokens"],
    ["notifications", "/account/notifications"],
    ["organization", "/organization"],
    ["connect", "/connect"],
  ] as [string, string][];
}

beforeAll(async () => {
  s = await startSignedInWeb();
  pages = await seed();
  mkdirSync(screenshots, { recursive: true });
}, 900_000);
afterAll(() => s?.stop(), 60_000);

async function show(page: Page, path: string) {
  const response = await page.goto(`${s.web.url}${path}`);
  expect(response?.status(), path).toBe(200);
  await page.locator("main h1, main h2").first().waitFor();
}

interface Finding {
  id: string;
  impact: string | null | undefined;
  help: string;
  nodes: string[];
}

/** axe-core's serious and critical violations on the page as it is now (WCAG 2.x A and AA, and best practice). */
async function seriousViolations(page: Page): Promise<Finding[]> {
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    type AxeResult = {
      violations: {
        id: string;
        impact?: string | null;
        help: string;
        nodes: { target: unknown[]; failureSummary?: string }[];
      }[];
    };
    const axe = (
      window as unknown as { axe: { run(context: Document, options: object): Promise<AxeResult> } }
    ).axe;
    const result = await axe.run(document, { resultTypes: ["violations"] });
    return result.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(" ")} :: ${n.failureSummary ?? ""}`),
      }));
  });
}

/** Visible boxes of some size whose background stays near white in dark mode: a panel that forgot `dark:`. */
function lightBoxes(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    for (const el of Array.from(document.querySelectorAll<HTMLElement>("body *"))) {
      const rect = el.getBoundingClientRect();
      if (rect.width * rect.height < 2000) continue;
      const match = /rgba?\((\d+), (\d+), (\d+)(?:, ([\d.]+))?\)/.exec(getComputedStyle(el).backgroundColor);
      if (!match || (match[4] !== undefined && Number(match[4]) < 0.5)) continue;
      const [r, g, b] = [match[1], match[2], match[3]].map(Number);
      if ((r ?? 0) > 200 && (g ?? 0) > 200 && (b ?? 0) > 200) {
        found.push(`${el.tagName.toLowerCase()}.${el.className.toString().split(" ").slice(0, 4).join(".")}`);
      }
    }
    return found;
  });
}

describe("accessibility (axe-core)", () => {
  for (const scheme of ["light", "dark"] as const) {
    it(`finds no serious or critical violation on any page, ${scheme}`, async () => {
      const context = await s.contextFor(person, { colorScheme: scheme, timezoneId: "Europe/Paris" });
      const page = await context.newPage();
      page.setDefaultTimeout(30_000);
      const report: Record<string, Finding[]> = {};
      for (const [name, path] of pages) {
        await show(page, path);
        const found = await seriousViolations(page);
        if (found.length > 0) report[name] = found;
      }
      // Signed out: the welcome page.
      const outside = await s.browser.newContext({ colorScheme: scheme });
      const welcome = await outside.newPage();
      await show(welcome, "/");
      const onWelcome = await seriousViolations(welcome);
      if (onWelcome.length > 0) report.welcome = onWelcome;
      await outside.close();
      await context.close();
      expect(report).toEqual({});
    }, 240_000);
  }

  it("leaves no light panel in dark mode", async () => {
    const context = await s.contextFor(person, { colorScheme: "dark", timezoneId: "Europe/Paris" });
    const page = await context.newPage();
    const report: Record<string, string[]> = {};
    for (const [name, path] of pages) {
      await show(page, path);
      const light = await lightBoxes(page);
      if (light.length > 0) report[name] = light.slice(0, 5);
    }
    await context.close();
    expect(report).toEqual({});
  }, 240_000);
});

describe("screenshots", () => {
  it("of every page at 390 and 1440 px wide, light and dark", async () => {
    let taken = 0;
    for (const width of [390, 1440]) {
      for (const scheme of ["light", "dark"] as const) {
        const context = await s.contextFor(person, {
          colorScheme: scheme,
          timezoneId: "Europe/Paris",
          viewport: { width, height: 900 },
        });
        const page = await context.newPage();
        page.setDefaultTimeout(30_000);
        for (const [name, path] of pages) {
          await show(page, path);
          await page.emulateMedia({ colorScheme: scheme });
          await page.screenshot({ path: `${screenshots}${name}-${width}-${scheme}.png`, fullPage: true });
          taken += 1;
        }
        await context.close();
      }
    }
    expect(taken).toBe(pages.length * 4);
    console.log(`screenshots: ${taken} in ${screenshots}`);
  }, 300_000);
});
