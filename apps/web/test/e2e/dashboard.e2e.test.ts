// End to end: a person signs up at the SSO (real mail over SMTP), signs in to the dashboard, creates a project
// and tasks, moves cards (a refused move explained), finds the task in review and the activity on the home page
// and approves it, filters the tasks list, registers an agent and copies its key (from the clipboard), adds it to
// the project; the agent, through the real MCP SDK client and that key, claims a task (the open home page shows it
// at work without a reload) and completes it, and the open board shows it without a reload; the person switches
// in one click to a new organization made at the SSO and back; signs out, and the refresh token is revoked at
// the SSO.
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { webDir } from "../../launch.ts";
import { joinChunks, type Session, unseal } from "../../src/lib/session-crypto.ts";
import { dashboardSecret, ensureBuild, launchChromium, sessionSecret, startStack } from "./stack.ts";

const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const artifacts = join(webDir, "test-results");

let stack: Awaited<ReturnType<typeof startStack>>;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `Chromium is missing at ${chromiumPath}: install Debian's (apt-get install -y chromium) or set CHROMIUM_PATH. ` +
        "The dashboard's end-to-end test needs it and never downloads a browser.",
    );
  }
  mkdirSync(artifacts, { recursive: true });
  await ensureBuild();
  stack = await startStack();
  browser = await launchChromium(chromiumPath);
}, 900_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
}, 60_000);

async function shot(page: Page, name: string) {
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
}

function column(page: Page, status: string) {
  return page.locator(`section[data-status="${status}"]`);
}

describe("the dashboard, end to end", () => {
  it("sign-up, sign-in, projects, board, agents, a live change by an agent through MCP, sign-out", async () => {
    const context = await browser.newContext();
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: stack.webUrl });
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    const email = `ada-${Date.now()}@example.com`;
    const password = "correct horse battery staple";
    try {
      // Sign up at the SSO from the dashboard's sign-in, confirm the address from the mail.
      await page.goto(`${stack.webUrl}/`);
      await shot(page, "01-home");
      await page.getByRole("main").getByRole("link", { name: "Sign in" }).click();
      await page.waitForURL(`${stack.ssoUrl}/sign-in**`);
      await page.getByRole("link", { name: "Create an account" }).click();
      await page.getByLabel("Name").fill("Ada Lovelace");
      await page.getByLabel("Email").fill(email);
      await page.getByLabel("Password").fill(password);
      await page.getByRole("button", { name: "Create account" }).click();
      await page.getByText("Check your inbox").waitFor();
      const mail = await stack.smtp.waitFor(email);
      const link = mail.text.match(/https?:\/\/[^\s"'<>]+/g)?.find((url) => url.includes("verify"));
      expect(link, mail.text).toBeTruthy();
      await page.goto(link as string);
      await page.waitForURL(`${stack.ssoUrl}/sign-in**`);
      await page.getByLabel("Email").fill(email);
      await page.getByLabel("Password").fill(password);
      await page.getByRole("button", { name: "Sign in" }).click();
      // The first sign-in lands on Home.
      await page.waitForURL(`${stack.webUrl}/`);
      await page.getByRole("heading", { name: "Home" }).waitFor();
      await page.getByRole("navigation", { name: "Main" }).getByText("Ada Lovelace").waitFor();

      // No token reaches the browser: only the httpOnly session cookie.
      const cookies = await page.context().cookies(stack.webUrl);
      const session = cookies.filter((c) => c.name.startsWith("tf_session."));
      expect(session.length).toBeGreaterThan(0);
      for (const c of session) {
        expect(c.httpOnly).toBe(true);
        expect(c.sameSite).toBe("Lax");
        expect(c.value.startsWith("ey")).toBe(true); // a JWE header, not a JWT payload
      }
      expect(await page.evaluate(() => document.cookie)).not.toContain("tf_session");
      await shot(page, "02-projects");

      // Every page carries the security headers: a CSP with this response's nonce, no framing, no sniffing.
      const projectsResponse = await page.goto(`${stack.webUrl}/projects`);
      const headers = projectsResponse?.headers() ?? {};
      expect(headers["content-security-policy"]).toMatch(
        /script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/,
      );
      expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
      expect(headers["x-content-type-options"]).toBe("nosniff");
      expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");

      // A project and two tasks.
      await page.getByLabel("Name").fill("Apollo");
      await page.getByLabel("Description").fill("The launch");
      await page.getByRole("button", { name: "Create project" }).click();
      await page.waitForURL(/\/projects\/[0-9a-f-]{36}$/);
      const projectUrl = page.url();
      await page.getByTestId("live-state").and(page.locator('[data-state="live"]')).waitFor();

      // The new-task form opens on demand. A field error from the API's problem errors[]: a title of spaces only.
      await page.getByRole("button", { name: "New task", exact: true }).click();
      await page.getByLabel("Title").fill("   ");
      await page.getByRole("button", { name: "Create task" }).click();
      await page.locator("#title-error").waitFor();

      for (const title of ["Write the launch checklist", "Check the fuel"]) {
        await page.getByLabel("Title").fill(title);
        await page
          .getByLabel("Tags (comma-separated)")
          .fill(title.includes("fuel") ? "fuel, launch" : "launch");
        await page.getByRole("button", { name: "Create task" }).click();
        await column(page, "pending").getByRole("link", { name: title }).waitFor();
      }

      // A refused move shows the API's explanation and where the task may go.
      const checklist = column(page, "pending").locator("li", { hasText: "Write the launch checklist" });
      await checklist.getByLabel("Move “Write the launch checklist” to").selectOption("completed");
      await page.getByTestId("board-message").getByText("Allowed from here").waitFor();
      await shot(page, "03-refused-move");

      // Drag and drop: pending → in progress.
      await checklist.dragTo(column(page, "in_progress"));
      await column(page, "in_progress").getByRole("link", { name: "Write the launch checklist" }).waitFor();
      // The keyboard route: in progress → review.
      await column(page, "in_progress")
        .getByLabel("Move “Write the launch checklist” to")
        .selectOption("review");
      await column(page, "review").getByRole("link", { name: "Write the launch checklist" }).waitFor();

      // Home: the task in review waits for its owner's review.
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Home" }).click();
      await page.getByRole("heading", { name: "Home" }).waitFor();
      const reviews = page.getByTestId("review-tasks");
      await reviews.getByRole("link", { name: "Write the launch checklist" }).waitFor();
      await page
        .getByTestId("recent-activity")
        .getByText(/moved “Write the launch checklist” from In progress to Review/)
        .first()
        .waitFor();
      await shot(page, "04-home");

      // The task page: facts, subtasks, activity in words; approve it.
      await reviews.getByRole("link", { name: "Write the launch checklist" }).click();
      await page.getByRole("heading", { name: "Activity" }).waitFor();
      await page
        .getByText(/moved “Write the launch checklist” from In progress to Review/)
        .first()
        .waitFor();
      await page.getByRole("heading", { name: "Waiting for review" }).waitFor();
      await shot(page, "05-task-review");
      await page.getByRole("button", { name: "Approve" }).click();
      await page.getByTestId("task-status").getByText("Completed").waitFor();
      await page
        .getByText(/approved “Write the launch checklist”/)
        .first()
        .waitFor();
      await shot(page, "06-task-approved");

      // The tasks list: search narrows it, and the filters live in the URL.
      await page.goto(`${projectUrl}/tasks`);
      await page.getByTestId("live-state").and(page.locator('[data-state="live"]')).waitFor();
      const table = page.getByTestId("task-table");
      await table.getByRole("link", { name: "Check the fuel" }).waitFor();
      await table.getByRole("link", { name: "Write the launch checklist" }).waitFor();
      await page.getByLabel("Search").fill("fuel");
      await page.getByRole("checkbox", { name: "Pending" }).check();
      await page.getByRole("button", { name: "Apply filters" }).click();
      await page.waitForURL(
        (url) => url.searchParams.get("q") === "fuel" && url.searchParams.get("status") === "pending",
      );
      await table.getByRole("link", { name: "Check the fuel" }).waitFor();
      expect(await table.getByRole("link", { name: "Write the launch checklist" }).count()).toBe(0);
      await shot(page, "07-task-list");

      // Register an agent; its key is shown once, and "Copy key" puts it on the clipboard.
      await page.goto(`${stack.webUrl}/agents`);
      await page.getByLabel("Handle").fill("launch-bot");
      await page.getByLabel("Name").fill("Launch bot");
      await page.getByLabel("Agent type").fill("claude-code");
      await page.getByRole("button", { name: "Register agent" }).click();
      const shownKey = (await page.getByTestId("agent-key").textContent())?.trim() ?? "";
      await page.getByRole("button", { name: "Copy key" }).click();
      await page.getByRole("button", { name: "Copied" }).waitFor();
      const key = await page.evaluate(() => navigator.clipboard.readText());
      expect(key).toMatch(/^tf_/);
      expect(key).toBe(shownKey);
      await shot(page, "08-agent-key");
      await page.goto(`${stack.webUrl}/connect`);
      await page.getByText("TASKFLOW_API_KEY").first().waitFor();
      await shot(page, "09-connect");

      // The agent joins the project (agents and people listed apart in the picker).
      await page.goto(`${projectUrl}/settings`);
      await page.getByLabel("Add a member").selectOption({ label: "@launch-bot (agent)" });
      await page.getByRole("button", { name: "Add member" }).click();
      await page.getByTestId("members").getByRole("combobox", { name: "Role of Launch bot" }).waitFor();
      await shot(page, "10-project-settings");
      await page.goto(projectUrl);
      await page.getByTestId("live-state").and(page.locator('[data-state="live"]')).waitFor();
      const fuelId = await column(page, "pending")
        .locator("li", { hasText: "Check the fuel" })
        .getAttribute("data-task-id");
      expect(fuelId).toBeTruthy();

      // A second project, so the home page listens to several projects through one merged stream.
      await page.goto(`${stack.webUrl}/projects`);
      await page.getByLabel("Name").fill("Gemini");
      await page.getByRole("button", { name: "Create project" }).click();
      await page.waitForURL(
        (url) => /^\/projects\/[0-9a-f-]{36}$/.test(url.pathname) && url.href !== projectUrl,
      );

      // The agent works through MCP with its key: claim (the open home page shows it at work), start if needed,
      // complete (the open board shows it).
      const mergedStream = page.waitForRequest((r) => r.url().startsWith(`${stack.webUrl}/api/events?`));
      await page.goto(`${stack.webUrl}/`);
      await mergedStream;
      await page.getByTestId("live-state").and(page.locator('[data-state="live"]')).waitFor();
      const client = new Client({ name: "e2e-agent", version: "1.0.0" });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(stack.mcpUrl), {
          requestInit: { headers: { authorization: `Bearer ${key}` } },
        }),
      );
      try {
        const claimed = await client.callTool({ name: "taskflow_claim_task", arguments: { taskId: fuelId } });
        expect(claimed.isError, JSON.stringify(claimed.content)).toBeFalsy();
        const status = (claimed.structuredContent as { task?: { status?: string } } | undefined)?.task
          ?.status;
        if (status === "pending") {
          const started = await client.callTool({
            name: "taskflow_start_task",
            arguments: { taskId: fuelId },
          });
          expect(started.isError, JSON.stringify(started.content)).toBeFalsy();
        }
        await page.getByTestId("agents-now").getByText("Check the fuel").waitFor();
        expect(page.url()).toBe(`${stack.webUrl}/`);
        await shot(page, "11-home-agent-at-work");
        await page.goto(projectUrl);
        await page.getByTestId("live-state").and(page.locator('[data-state="live"]')).waitFor();
        await column(page, "in_progress").getByRole("link", { name: "Check the fuel" }).waitFor();
        const completed = await client.callTool({
          name: "taskflow_complete_task",
          arguments: { taskId: fuelId },
        });
        expect(completed.isError, JSON.stringify(completed.content)).toBeFalsy();
      } finally {
        await client.close();
      }
      // The open board shows it without a reload.
      await column(page, "completed")
        .getByRole("link", { name: "Check the fuel" })
        .waitFor({ timeout: 20_000 });
      expect(page.url()).toBe(projectUrl);
      await shot(page, "12-board-after-agent");
      // Handing the work in ended the agent's claim: the completed task's page shows no claim or lease.
      await page.goto(`${stack.webUrl}/tasks/${fuelId}`);
      await page.getByTestId("task-status").getByText("Completed").waitFor();
      expect(await page.getByText("Claimed by").count()).toBe(0);

      // A narrow screen in dark mode: nothing runs off the side of the page.
      await page.setViewportSize({ width: 390, height: 844 });
      await page.emulateMedia({ colorScheme: "dark" });
      for (const [name, url] of [
        ["13-narrow-dark-board", projectUrl],
        ["14-narrow-dark-list", `${projectUrl}/tasks`],
        ["15-narrow-dark-home", `${stack.webUrl}/`],
      ] as const) {
        await page.goto(url);
        await page.getByRole("heading", { level: 1 }).first().waitFor();
        expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(
          true,
        );
        await shot(page, name);
      }
      await page.setViewportSize({ width: 1280, height: 720 });

      // Switch organization in one click: an organization made at the SSO's account page shows up in the
      // dashboard's list; "Switch to …" signs in again silently in it (none of the first organization's
      // projects), and back again in one click (the SSO's session had the new one active: the click decides).
      await page.goto(`${stack.webUrl}/organization`);
      const firstOrg = (await page.getByTestId("org-id").textContent())?.trim();
      await page.getByTestId("organizations").getByText("active").waitFor();
      await page.getByRole("link", { name: "your account at the sign-in service" }).click();
      await page.waitForURL(`${stack.ssoUrl}/account**`);
      await page.getByLabel("New organization name").fill("Second org");
      await page.getByRole("button", { name: "Create organization" }).click();
      await page.getByText("Organization created.").waitFor();
      await page.goto(`${stack.webUrl}/organization`);
      await page.getByRole("button", { name: "Switch to Second org" }).click();
      await page.waitForURL((url) => url.pathname === "/organization" && url.searchParams.has("switched"));
      await page.getByTestId("switch-notice").and(page.locator('[data-tone="done"]')).waitFor();
      expect((await page.getByTestId("org-id").textContent())?.trim()).not.toBe(firstOrg);
      expect((await page.getByTestId("org-name").textContent())?.trim()).toBe("Second org");
      expect((await page.getByTestId("org-role").textContent())?.trim()).toBe("owner");
      await shot(page, "16-organization-switched");
      await page.goto(`${stack.webUrl}/projects`);
      await page.getByRole("heading", { name: "Projects" }).waitFor();
      expect(await page.getByRole("link", { name: "Apollo" }).count()).toBe(0);
      await page.goto(`${stack.webUrl}/organization`);
      await page
        .getByTestId("organizations")
        .getByRole("button", { name: /^Switch to / })
        .click();
      await page.waitForURL(
        (url) => url.pathname === "/organization" && url.searchParams.get("to") === firstOrg,
      );
      await page.getByTestId("switch-notice").and(page.locator('[data-tone="done"]')).waitFor();
      expect((await page.getByTestId("org-id").textContent())?.trim()).toBe(firstOrg);
      await page.goto(`${stack.webUrl}/projects`);
      await page.getByRole("link", { name: "Apollo" }).first().waitFor();

      // Sign out ends the dashboard session and the SSO's, and revokes the refresh token at the SSO.
      const jar = await page.context().cookies(stack.webUrl);
      const sealed = joinChunks((name) => jar.find((c) => c.name === name)?.value, "tf_session");
      const refreshToken = (await unseal<Session>(sealed, sessionSecret, "session"))?.refreshToken;
      expect(refreshToken).toBeTruthy();
      await page.getByRole("button", { name: "Sign out" }).click();
      await page.waitForURL(`${stack.webUrl}/`);
      expect(
        (await page.context().cookies(stack.webUrl)).filter((c) => c.name.startsWith("tf_session.")),
      ).toEqual([]);
      const refresh = await fetch(`${stack.ssoUrl}/api/auth/oauth2/token`, {
        method: "POST",
        headers: {
          authorization: `Basic ${Buffer.from(`taskflow-dashboard:${dashboardSecret}`).toString("base64")}`,
          "content-type": "application/x-www-form-urlencoded",
        },
        body: new URLSearchParams({
          grant_type: "refresh_token",
          refresh_token: refreshToken ?? "",
          resource: stack.apiUrl,
        }),
      });
      expect(refresh.status).toBe(400);
      expect(((await refresh.json()) as { error?: string }).error).toBe("invalid_grant");
      await page.goto(`${stack.webUrl}/projects`);
      await page.waitForURL(`${stack.ssoUrl}/sign-in**`);
    } catch (error) {
      await shot(page, "failure").catch(() => undefined);
      throw new Error(
        `${error instanceof Error ? error.message : String(error)}\n--- dashboard output ---\n${stack.webOutput()}`,
        { cause: error },
      );
    }
  }, 300_000);
});
