// Markdown in a real browser: the built dashboard (`next start`) against the real API on a real database, in
// Debian's Chromium. A task's description shows a list, a code block, a task link and an @mention; the comment
// form's preview renders what is typed (its renderer loaded only on that click) and Write brings the text back.
// Then the XSS payloads of test/markdown-payloads.ts, in a description, in comments, in an agent's run and in the
// preview, with the page's CSP switched off (so only the renderer stands between them and the page): no script
// runs (no dialog, no flag set), and the DOM holds no element, handler or href that could run one.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { AgentRun, Project, Task } from "@taskflow/contracts";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dashboardClientId, type TestApi } from "../../../api/test/support/test-api.ts";
import { type RunningWeb, webDir } from "../../launch.ts";
import { scopes } from "../../src/lib/oidc.ts";
import { xssPayloads } from "../markdown-payloads.ts";
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

interface World {
  ownerToken: string;
  agent: { id: string; handle: string; key: string };
  project: Project;
  spec: Task;
}

/** An organization with a project, its owner (signed in to the dashboard below), and an agent @builder in it. */
async function world(): Promise<World> {
  const orgId = api.newTenant();
  const owner = await api.signIn({ orgId, orgRole: "owner", name: "Olive Owner" });
  const project = (
    await api.call<Project>("POST", "/api/projects", { token: owner.token, body: { name: "Docs" } })
  ).body;
  const registered = await api.call<{ agent: { id: string; handle: string }; apiKey: { key: string } }>(
    "POST",
    "/api/agents",
    { token: owner.token, body: { handle: "@builder", name: "Builder", agentType: "claude-code" } },
  );
  await api.call("POST", `/api/projects/${project.id}/members`, {
    token: owner.token,
    body: { workerId: registered.body.agent.id, role: "member" },
  });
  const spec = await createTask(owner.token, project.id, "Write the spec", "");
  const ownerToken = await api.issuer.mint({
    sub: owner.sub,
    orgId,
    orgRole: "owner",
    azp: dashboardClientId,
    extra: { scope: scopes },
  });
  return {
    ownerToken,
    agent: { ...registered.body.agent, key: registered.body.apiKey.key },
    project,
    spec,
  };
}

async function createTask(token: string, projectId: string, title: string, description: string) {
  const created = await api.call<Task>("POST", `/api/projects/${projectId}/tasks`, {
    token,
    body: { title, description },
  });
  expect(created.status).toBe(201);
  return created.body;
}

/** A browser context signed in as the token's person: the session sealed as the dashboard seals it. */
const signedIn = (token: string, options: { bypassCSP?: boolean } = {}): Promise<BrowserContext> =>
  stack.contextForToken(token, { sub: "owner", name: "Olive" }, { bypassCSP: options.bypassCSP ?? false });

const scriptUrls = (page: Page) =>
  page.evaluate(() =>
    performance.getEntriesByType("resource").flatMap((e) => (/\.js(\?|$)/.test(e.name) ? [e.name] : [])),
  );

describe("Markdown on the task page", () => {
  it("renders a description's list, code block, task link and @mention, and previews a comment before posting", async () => {
    const { ownerToken, agent, project, spec } = await world();
    const description = [
      "Steps for @builder:",
      "",
      `- read the spec #${spec.id}`,
      `- then [the board](${web.url}/projects/${project.id})`,
      "",
      "```ts",
      "const answer: number = 42;",
      "```",
    ].join("\n");
    const task = await createTask(ownerToken, project.id, "Ship the docs", description);

    const context = await signedIn(ownerToken);
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    try {
      await page.goto(`${web.url}/tasks/${task.id}`);
      const rendered = page.locator("section", { has: page.getByRole("heading", { name: "Description" }) });
      const markdown = rendered.locator("[data-markdown]");
      await expect(markdown.locator("li").count()).resolves.toBe(2);
      await expect(markdown.locator("pre code.language-ts").textContent()).resolves.toBe(
        "const answer: number = 42;\n",
      );
      const taskLink = markdown.locator(`a.task-link[href="/tasks/${spec.id}"]`);
      await expect(taskLink.textContent()).resolves.toBe(`#${spec.id}`);
      const mention = markdown.locator(`a.mention[href="/agents/${agent.id}"]`);
      await expect(mention.textContent()).resolves.toBe("@builder");
      // The dashboard's own URL is a link in place, without the external link's rel.
      const board = markdown.getByRole("link", { name: "the board" });
      await expect(board.getAttribute("href")).resolves.toBe(`/projects/${project.id}`);
      await expect(board.getAttribute("rel")).resolves.toBeNull();
      await page.screenshot({ path: join(artifacts, "markdown-01-description.png"), fullPage: true });

      // The comment form: Write, then Preview renders the text with a renderer loaded on this click only.
      await page.getByTestId("live-state").and(page.locator('[data-state="live"]')).waitFor();
      const before = await scriptUrls(page);
      const box = page.getByLabel("Add a comment");
      await box.fill(`**Done**, see #${spec.id}\n\n1. first\n2. second`);
      const form = page.locator("form", { has: box });
      await form.getByRole("button", { name: "Preview" }).click();
      const preview = form.getByTestId("markdown-preview");
      await preview.locator("strong", { hasText: "Done" }).waitFor();
      await expect(preview.locator(`a.task-link[href="/tasks/${spec.id}"]`).count()).resolves.toBe(1);
      await expect(preview.locator("ol > li").count()).resolves.toBe(2);
      await expect(box.isHidden()).resolves.toBe(true);
      const after = await scriptUrls(page);
      expect(after.filter((url) => !before.includes(url)).length).toBeGreaterThan(0);
      await page.screenshot({ path: join(artifacts, "markdown-02-preview.png"), fullPage: true });

      await form.getByRole("button", { name: "Write" }).click();
      await expect(box.isVisible()).resolves.toBe(true);
      await expect(box.inputValue()).resolves.toBe(`**Done**, see #${spec.id}\n\n1. first\n2. second`);
      await expect(preview.count()).resolves.toBe(0);
      await form.getByRole("button", { name: "Comment", exact: true }).click();
      const comments = page.locator("section", { has: page.getByRole("heading", { name: "Comments" }) });
      await comments.locator("[data-markdown] strong", { hasText: "Done" }).waitFor();
      // Posted from the preview: the form, reset after the post, is back on Write with an empty box.
      await box.fill("_Second_ note");
      await form.getByRole("button", { name: "Preview" }).click();
      await preview.locator("em", { hasText: "Second" }).waitFor();
      await form.getByRole("button", { name: "Comment", exact: true }).click();
      await comments.locator("[data-markdown] em", { hasText: "Second" }).waitFor();
      await box.waitFor({ state: "visible" });
      await expect(box.inputValue()).resolves.toBe("");

      // The task link goes to the task.
      await taskLink.click();
      await page.waitForURL(`${web.url}/tasks/${spec.id}`);
      await page.getByRole("heading", { name: "Write the spec", level: 1 }).waitFor();
    } finally {
      await context.close();
    }
  }, 180_000);
});

describe("Markdown never runs script, even without the CSP", () => {
  it("in a description, comments, an agent's run and the preview: no script ran, no dangerous element or href", async () => {
    const { ownerToken, agent, project } = await world();
    const all = xssPayloads.map(([, markdown]) => markdown).join("\n\n");
    const task = await createTask(ownerToken, project.id, "Hostile text", all);
    for (const [, markdown] of xssPayloads) {
      const comment = await api.call("POST", `/api/tasks/${task.id}/comments`, {
        token: ownerToken,
        body: { body: markdown },
      });
      expect(comment.status).toBe(201);
    }
    // The agent claims the task (a run opens) and writes the payloads as a thought and as its response.
    expect((await api.call("POST", `/api/tasks/${task.id}/claim`, { token: agent.key })).status).toBe(200);
    const runs = await api.call<{ items: AgentRun[] }>("GET", `/api/tasks/${task.id}/runs`, {
      token: agent.key,
    });
    const run = runs.body.items[0];
    expect(run).toBeDefined();
    for (const type of ["thought", "response"]) {
      const posted = await api.call("POST", `/api/runs/${run?.id}/activities`, {
        token: agent.key,
        body: { type, body: all },
      });
      expect(posted.status).toBe(201);
    }

    const context = await signedIn(ownerToken, { bypassCSP: true });
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    const dialogs: string[] = [];
    page.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    const fired = () => page.evaluate(() => (window as unknown as { xssFired?: number }).xssFired ?? null);
    try {
      await page.goto(`${web.url}/tasks/${task.id}`);
      await page.getByRole("heading", { name: "Hostile text" }).waitFor();
      // No CSP came with the page, so an injected handler would run.
      await expect(page.evaluate(() => document.querySelector("meta[http-equiv]") === null)).resolves.toBe(
        true,
      );
      // Every rendered text is there: description, one per comment, the thought and the response.
      await expect(page.locator("[data-markdown]").count()).resolves.toBe(1 + xssPayloads.length + 2);
      // Raw HTML reads as the characters it is.
      await page
        .locator("section", { has: page.getByRole("heading", { name: "Description" }) })
        .getByText("<script>window.xssFired=1;alert(1)</script>", { exact: true })
        .waitFor();
      // Open the thought, hover and focus every link (onmouseover, onfocus), let the images' onerror fire.
      await page.locator("details").evaluateAll((all) => {
        for (const details of all) (details as HTMLDetailsElement).open = true;
      });
      for (const link of await page.locator("[data-markdown] a").all()) await link.hover();
      await page.waitForLoadState("networkidle");
      await expectNothingDangerous(page);

      // The preview, typed into the comment form.
      const box = page.getByLabel("Add a comment");
      await box.fill(all);
      const form = page.locator("form", { has: box });
      await form.getByRole("button", { name: "Preview" }).click();
      await form.getByTestId("markdown-preview").locator("[data-markdown]").waitFor();
      for (const link of await form.locator("[data-markdown] a").all()) await link.hover();
      await page.waitForLoadState("networkidle");
      await expectNothingDangerous(page);
      expect(dialogs).toEqual([]);
      await expect(fired()).resolves.toBeNull();

      // The check would see a payload that ran: the same handler, put into the page by hand, fires.
      await page.evaluate(() => {
        const img = document.createElement("img");
        img.setAttribute("onerror", "window.xssFired=1");
        img.src = "/no-such-image.png";
        document.body.append(img);
      });
      await expect.poll(fired).toBe(1);
    } finally {
      await context.close();
    }
  }, 240_000);
});

/** No element that runs or embeds anything, no handler attribute, and every link http(s), mailto or ours. */
async function expectNothingDangerous(page: Page): Promise<void> {
  const found = await page.locator("[data-markdown]").evaluateAll((roots) => {
    const problems: string[] = [];
    for (const root of roots) {
      for (const element of root.querySelectorAll("*")) {
        const tag = element.tagName.toLowerCase();
        if (
          ["script", "iframe", "svg", "img", "object", "embed", "style", "math", "form", "details"].includes(
            tag,
          )
        ) {
          problems.push(`<${tag}>`);
        }
        for (const attribute of element.getAttributeNames()) {
          if (/^on/i.test(attribute) || ["style", "src", "srcdoc", "formaction"].includes(attribute)) {
            if (!(attribute === "style" && /^text-align:\w+;?$/.test(element.getAttribute("style") ?? ""))) {
              problems.push(`${tag}[${attribute}]`);
            }
          }
        }
        if (element instanceof HTMLAnchorElement && element.hasAttribute("href")) {
          // As the browser resolved it: what a click would open.
          if (!["http:", "https:", "mailto:"].includes(element.protocol))
            problems.push(`href ${element.href}`);
        }
      }
    }
    return problems;
  });
  expect(found).toEqual([]);
  const dangerousHrefs = await page.evaluate(
    () =>
      [...document.querySelectorAll("a[href]")]
        .map((a) => a.getAttribute("href") ?? "")
        .filter((href) => /^\s*(javascript|data|vbscript):/i.test(href)).length,
  );
  expect(dangerousHrefs).toBe(0);
}
