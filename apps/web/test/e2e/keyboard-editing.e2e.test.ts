// Editing in place and the keyboard, in Debian's Chromium against the whole system (stack.ts): every field of a
// task edited where it is shown, on the task page and in the list; an edit over someone else's change names what
// changed; the command palette's actions; the board's and the list's shortcuts, a card moved with Shift+→ and
// the move said in the live region; the help overlay; and a walkthrough with the keyboard only: create a task,
// move it across the board to review, approve it.
import { existsSync } from "node:fs";
import type { Project, Task, Worker } from "@taskflow/contracts";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accessTokenOf, signUpAndIn } from "./sign-up.ts";
import { ensureBuild, launchChromium, startStack } from "./stack.ts";

const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

let stack: Awaited<ReturnType<typeof startStack>>;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let token: string;
let me: Worker;
let project: Project;

async function api<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${stack.apiUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body !== undefined ? { "content-type": "application/json" } : {}),
      ...headers,
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

const newTask = (title: string, projectId = project.id) =>
  api<Task>("POST", `/api/projects/${projectId}/tasks`, { title, priority: "medium" });
const taskNow = (id: string) => api<Task>("GET", `/api/tasks/${id}`);

/** Opens a field's editor by its button (the value, named "… (edit <field>)"), as a person clicks it. */
/**
 * A page-wide shortcut, pressed again if nothing answers it in 5 s, as a person would: a key pressed before the
 * page has hydrated reaches no listener (the shortcuts are both idempotent, so a late answer to the first press
 * is not undone by the second).
 */
async function pressUntilShown(on: Page, key: string, shown: Locator) {
  for (let attempt = 1; ; attempt++) {
    await on.keyboard.press(key);
    const answered = await shown.waitFor({ timeout: 5_000 }).then(
      () => true,
      () => false,
    );
    if (answered) return;
    if (attempt === 4) throw new Error(`${key} opened nothing in 20 s`);
  }
}

/**
 * Ctrl-K, then wait until the palette's box has the focus: typed before it opens (a page still refreshing after
 * the last action, on a loaded machine), the letters would go to the page instead.
 */
async function openPalette(on: Page) {
  await pressUntilShown(
    on,
    "Control+k",
    on.getByRole("combobox", { name: "Type a command, project or task" }).and(on.locator(":focus")),
  );
}

async function openEditor(scope: Locator | Page, field: string) {
  await scope.getByRole("button", { name: `(edit ${field})` }).click();
}

beforeAll(async () => {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `Chromium is missing at ${chromiumPath}: apt-get install -y chromium, or set CHROMIUM_PATH`,
    );
  }
  await ensureBuild();
  stack = await startStack();
  browser = await launchChromium(chromiumPath);
  ({ context, page } = await signUpAndIn(stack, browser, "Edith"));
  token = await accessTokenOf(stack, context);
  me = await api<Worker>("GET", "/api/workers/me");
  project = await api<Project>("POST", "/api/projects", { name: "Voyager" });
}, 900_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
}, 60_000);

describe("editing in place", () => {
  it("edits title, status, priority, assignee, due date and tags on the task page; Escape cancels", async () => {
    const task = await newTask("Fuel check");
    await page.goto(`${stack.webUrl}/tasks/${task.id}`);
    // The big forms open on demand only.
    expect(await page.getByRole("button", { name: "Save changes" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: "Edit all fields" }).count()).toBe(1);
    expect(await page.getByRole("button", { name: "New subtask" }).count()).toBe(1);

    await openEditor(page, "title");
    await page.getByLabel("Title", { exact: true }).fill("Fuel and oxygen check");
    await page.keyboard.press("Enter");
    await page.getByRole("button", { name: "Fuel and oxygen check (edit title)" }).waitFor();

    await openEditor(page, "title");
    await page.getByLabel("Title", { exact: true }).fill("Never saved");
    await page.keyboard.press("Escape");
    await page.getByRole("button", { name: /Fuel and oxygen check \(edit title\)/ }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toContain("Fuel and oxygen check");

    await openEditor(page, "status");
    await page.getByLabel("Status", { exact: true }).selectOption("in_progress");
    await page.getByLabel("Status", { exact: true }).press("Enter");
    await page.getByTestId("task-status").getByText("In progress").waitFor();

    await openEditor(page, "priority");
    await page.getByLabel("Priority", { exact: true }).selectOption("critical");
    await page.getByLabel("Priority", { exact: true }).press("Enter");
    await page.getByRole("button", { name: "Critical (edit priority)" }).waitFor();

    await openEditor(page, "assignee");
    await page.getByLabel("Assignee", { exact: true }).selectOption(me.id);
    await page.getByLabel("Assignee", { exact: true }).press("Enter");
    await page.getByRole("button", { name: "Edith (edit assignee)" }).waitFor();

    await openEditor(page, "due (utc)");
    await page.getByLabel("Due (UTC)", { exact: true }).fill("2026-05-01T09:30");
    await page.keyboard.press("Enter");
    // The task page shows the date, then "due …" words: two <time>s of the one instant.
    await page.locator('time[datetime="2026-05-01T09:30:00.000Z"]').first().waitFor();

    await openEditor(page, "tags (comma-separated)");
    await page.getByLabel("Tags (comma-separated)", { exact: true }).fill("launch, fuel");
    await page.keyboard.press("Enter");
    await page.getByRole("button", { name: "#launch #fuel (edit tags (comma-separated))" }).waitFor();

    const saved = await taskNow(task.id);
    expect(saved).toMatchObject({
      title: "Fuel and oxygen check",
      status: "in_progress",
      priority: "critical",
      assignee: { id: me.id },
      dueAt: "2026-05-01T09:30:00.000Z",
      tags: ["launch", "fuel"],
    });
    // Six edits, each saved on top of the one before (If-Match), none lost.
    expect(saved.version).toBeGreaterThanOrEqual(task.version + 6);
  }, 120_000);

  it("edits every field of a row in the list", async () => {
    const task = await newTask("Check the seals");
    await page.goto(`${stack.webUrl}/projects/${project.id}/tasks`);
    const row = page.locator(`tr[data-task-id="${task.id}"]`);

    await openEditor(row, "title");
    await row.getByLabel("Title", { exact: true }).fill("Check the hatch seals");
    await row.getByLabel("Title", { exact: true }).press("Enter");
    await row.getByRole("link", { name: "Check the hatch seals" }).waitFor();

    await openEditor(row, "status");
    await row.getByLabel("Status", { exact: true }).selectOption("blocked");
    await row.getByLabel("Status", { exact: true }).press("Enter");
    await row.getByRole("button", { name: "Blocked (edit status)" }).waitFor();

    await openEditor(row, "priority");
    await row.getByLabel("Priority", { exact: true }).selectOption("low");
    await row.getByLabel("Priority", { exact: true }).press("Enter");
    await row.getByRole("button", { name: "Low (edit priority)" }).waitFor();

    await openEditor(row, "assignee");
    await row.getByLabel("Assignee", { exact: true }).selectOption(me.id);
    await row.getByLabel("Assignee", { exact: true }).press("Enter");
    await row.getByRole("button", { name: "Edith (edit assignee)" }).waitFor();

    await openEditor(row, "due (utc)");
    await row.getByLabel("Due (UTC)", { exact: true }).fill("2026-06-02T14:00");
    await row.getByLabel("Due (UTC)", { exact: true }).press("Enter");
    await row.locator('time[datetime="2026-06-02T14:00:00.000Z"]').waitFor();

    await openEditor(row, "tags (comma-separated)");
    await row.getByLabel("Tags (comma-separated)", { exact: true }).fill("hatch");
    await row.getByLabel("Tags (comma-separated)", { exact: true }).press("Enter");
    await row.getByRole("button", { name: "#hatch (edit tags (comma-separated))" }).waitFor();

    expect(await taskNow(task.id)).toMatchObject({
      title: "Check the hatch seals",
      status: "blocked",
      priority: "low",
      assignee: { id: me.id },
      dueAt: "2026-06-02T14:00:00.000Z",
      tags: ["hatch"],
    });
  }, 120_000);

  it("refuses an edit over someone else's change, names what changed, and reloads on request", async () => {
    const task = await newTask("Plot the course");
    const stale = await context.newPage();
    // The page does not hear of the change (its live stream is cut), as a tab left open would not in time.
    await stale.route("**/api/projects/*/events**", (route) => route.abort());
    await stale.goto(`${stack.webUrl}/tasks/${task.id}`);
    await stale.getByRole("heading", { name: /Plot the course/ }).waitFor();

    await api(
      "PATCH",
      `/api/tasks/${task.id}`,
      { priority: "high", tags: ["nav"] },
      { "if-match": `"${task.version}"` },
    );

    await openEditor(stale, "title");
    await stale.getByLabel("Title", { exact: true }).fill("Plot the new course");
    await stale.keyboard.press("Enter");
    const conflict = stale.getByTestId("edit-conflict");
    await conflict.waitFor();
    expect(await conflict.textContent()).toContain(
      "Someone changed this task since you opened it: Priority is now High; Tags is now #nav.",
    );
    expect((await taskNow(task.id)).title).toBe("Plot the course");

    await conflict.getByRole("button", { name: "Reload" }).click();
    await stale.getByRole("button", { name: "High (edit priority)" }).waitFor();
    // Started again from what is there now, the same edit goes through.
    await openEditor(stale, "title");
    await stale.getByLabel("Title", { exact: true }).fill("Plot the new course");
    await stale.keyboard.press("Enter");
    await stale.getByRole("button", { name: "Plot the new course (edit title)" }).waitFor();
    expect(await taskNow(task.id)).toMatchObject({ title: "Plot the new course", priority: "high" });
    await stale.close();
  }, 120_000);
});

describe("the keyboard", () => {
  it("palette: a letter typed the moment it opens again is added to an empty box, not to the last query", async () => {
    // Under load in CI, a palette reopened and typed into at once kept its last query: the reset to an empty box
    // was committed after the box had the focus, so "approve" became "create a taskapprove" and matched nothing.
    // How soon a keystroke follows the focus is up to the machine; here one lands in the same instant, from a
    // focus listener, as the browser delivers a keystroke (the letter added to what the box holds, then `input`).
    await page.goto(`${stack.webUrl}/projects/${project.id}`);
    const box = page.getByRole("combobox", { name: "Type a command, project or task" });
    await openPalette(page);
    await page.keyboard.type("voyager");
    await page.keyboard.press("Escape");
    await page.getByRole("dialog", { name: "Command palette" }).waitFor({ state: "hidden" });

    await page.evaluate(() => {
      const typeAtFocus = (event: FocusEvent) => {
        const target = event.target;
        if (!(target instanceof HTMLInputElement) || target.getAttribute("role") !== "combobox") return;
        document.removeEventListener("focusin", typeAtFocus);
        Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value")?.set?.call(
          target,
          `${target.value}s`,
        );
        target.dispatchEvent(new InputEvent("input", { bubbles: true, inputType: "insertText", data: "s" }));
      };
      document.addEventListener("focusin", typeAtFocus);
    });
    await openPalette(page);
    await page.keyboard.type("how");
    await page.waitForFunction(() =>
      (document.activeElement as HTMLInputElement | null)?.value.endsWith("how"),
    );
    expect(await box.inputValue()).toBe("show");
    await page.getByRole("option", { name: "Show keyboard shortcuts" }).waitFor();
    await page.keyboard.press("Escape");
  }, 120_000);

  it("palette: goes to a project and a task by typing, assigns to me, changes status, opens the new-task form", async () => {
    const task = await newTask("Calibrate the antenna");
    await page.goto(`${stack.webUrl}/`);
    await openPalette(page);
    const palette = page.getByRole("dialog", { name: "Command palette" });
    await palette.waitFor();
    await page.keyboard.type("voyager");
    await palette.getByRole("option", { name: "Go to project Voyager" }).waitFor();
    await page.keyboard.press("Enter");
    await page.waitForURL(`${stack.webUrl}/projects/${project.id}`);

    await openPalette(page);
    await page.keyboard.type("antenna");
    await palette.getByRole("option", { name: "Open task Calibrate the antenna" }).waitFor();
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowUp");
    // Only the task matches "antenna" among commands and projects, so it is the first entry.
    await page.keyboard.press("Enter");
    await page.waitForURL(`${stack.webUrl}/tasks/${task.id}`);

    await openPalette(page);
    await page.keyboard.type("assign me");
    await palette.getByRole("option", { name: "Assign “Calibrate the antenna” to me" }).waitFor();
    await page.keyboard.press("Enter");
    await page.getByTestId("palette-notice").getByText("Assigned to you.").waitFor();
    await page.getByRole("button", { name: "Edith (edit assignee)" }).waitFor();

    await openPalette(page);
    await page.keyboard.type("status progress");
    await palette
      .getByRole("option", { name: "Change status of “Calibrate the antenna” to In progress" })
      .waitFor();
    await page.keyboard.press("Enter");
    await page.getByTestId("task-status").getByText("In progress").waitFor();
    expect(await taskNow(task.id)).toMatchObject({ status: "in_progress", assignee: { id: me.id } });

    // Create a task, from the task page: the board opens with its form, the focus in Title.
    await openPalette(page);
    await page.keyboard.type("create");
    await palette.getByRole("option", { name: "Create a task in Voyager" }).waitFor();
    await page.keyboard.press("Enter");
    await page.waitForURL(`${stack.webUrl}/projects/${project.id}?new=1`);
    await page.waitForFunction(() => (document.activeElement as HTMLInputElement | null)?.name === "title");
    await page.keyboard.press("Escape");
    expect(
      await page.getByRole("button", { name: "New task", exact: true }).getAttribute("aria-expanded"),
    ).toBe("false");
  }, 120_000);

  it("board: j/k select, Shift+→ moves the card and the live region says so; keys typed in a field do nothing", async () => {
    const board = await api<Project>("POST", "/api/projects", { name: "Keys" });
    const first = await api<Task>("POST", `/api/projects/${board.id}/tasks`, {
      title: "Alpha",
      priority: "high",
    });
    await api<Task>("POST", `/api/projects/${board.id}/tasks`, { title: "Beta", priority: "low" });
    await page.goto(`${stack.webUrl}/projects/${board.id}`);
    await page.getByTestId("live-state").and(page.locator('[data-state="live"]')).waitFor();

    // Typing j and 2 in the new-task form's title is text, not shortcuts.
    await page.getByRole("button", { name: "New task", exact: true }).click();
    await page.getByLabel("Title").pressSequentially("j2");
    expect(await page.getByLabel("Title").inputValue()).toBe("j2");
    expect(await page.locator("[data-selected]").count()).toBe(0);
    await page.keyboard.press("Escape");

    await page.keyboard.press("j");
    await page.locator('[data-selected="true"]', { hasText: "Alpha" }).waitFor();
    await page.keyboard.press("j");
    await page.locator('[data-selected="true"]', { hasText: "Beta" }).waitFor();
    await page.keyboard.press("k");
    await page.locator('[data-selected="true"]', { hasText: "Alpha" }).waitFor();

    await page.keyboard.press("Shift+ArrowRight");
    const announced = page.getByTestId("board-message");
    await announced.getByText("Moved “Alpha” to In progress.").waitFor();
    expect(await announced.getAttribute("aria-live")).toBe("polite");
    await page.locator('section[data-status="in_progress"] li', { hasText: "Alpha" }).waitFor();
    expect((await taskNow(first.id)).status).toBe("in_progress");

    // Shift+← moves it back to the column on the left.
    await page.keyboard.press("Shift+ArrowLeft");
    await announced.getByText("Moved “Alpha” to Pending.").waitFor();
    await page.locator('section[data-status="pending"] li', { hasText: "Alpha" }).waitFor();

    // 2 moves the selected card to the second column.
    await page.keyboard.press("2");
    await announced.getByText("Moved “Alpha” to In progress.").waitFor();
  }, 120_000);

  it("board of many: a column shows its first 20 cards, Show more the rest; a card moved below them stays selected", async () => {
    const crowded = await api<Project>("POST", "/api/projects", { name: "Crowded" });
    const url = `${stack.webUrl}/projects/${crowded.id}`;
    // 21 high-priority tasks in progress; one low-priority task waiting, which ranks last wherever it goes.
    await Promise.all(
      Array.from({ length: 21 }, async (_, i) => {
        const t = await api<Task>("POST", `/api/projects/${crowded.id}/tasks`, {
          title: `Busy ${i}`,
          priority: "high",
        });
        await api("PATCH", `/api/tasks/${t.id}/status`, { status: "in_progress" });
      }),
    );
    const low = await api<Task>("POST", `/api/projects/${crowded.id}/tasks`, {
      title: "Low one",
      priority: "low",
    });
    await page.goto(url);
    await page.getByTestId("live-state").and(page.locator('[data-state="live"]')).waitFor();
    const inProgress = page.locator('section[data-status="in_progress"]');
    expect(await inProgress.locator("li").count()).toBe(20);
    await inProgress.getByRole("heading", { name: "In progress (20+)" }).waitFor();

    // Shift+→ moves the low card to In progress, where it ranks 22nd: the server no longer sends it, and it stays.
    await page.keyboard.press("j");
    await page.locator('[data-selected="true"]', { hasText: "Low one" }).waitFor();
    await page.keyboard.press("Shift+ArrowRight");
    const announced = page.getByTestId("board-message");
    await announced.getByText("Moved “Low one” to In progress.").waitFor();
    await inProgress.locator('li[data-selected="true"]', { hasText: "Low one" }).waitFor();
    expect((await taskNow(low.id)).status).toBe("in_progress");
    await expect.poll(() => page.locator('section[data-status="pending"] li').count()).toBe(0);
    // The next key still finds it: on to Review.
    await page.keyboard.press("Shift+ArrowRight");
    await announced.getByText("Moved “Low one” to Review.").waitFor();
    await page.locator('section[data-status="review"] li', { hasText: "Low one" }).waitFor();
    await page.keyboard.press("Shift+ArrowLeft");
    await announced.getByText("Moved “Low one” to In progress.").waitFor();

    // Show more: the column's next cards, the count in the URL (a reload keeps them).
    await inProgress.getByRole("link", { name: "Show 50 more in In progress" }).click();
    await page.waitForURL((u) => u.searchParams.get("show-in_progress") === "70");
    await inProgress.getByRole("heading", { name: "In progress (22)" }).waitFor();
    await inProgress.locator("li", { hasText: "Low one" }).waitFor();
    expect(await inProgress.getByRole("link", { name: /Show 50 more/ }).count()).toBe(0);
    await page.reload();
    await inProgress.getByRole("heading", { name: "In progress (22)" }).waitFor();
  }, 180_000);

  it("list: j selects a row, a digit sets its status, said in the live region", async () => {
    const board = await api<Project>("POST", "/api/projects", { name: "List keys" });
    const only = await api<Task>("POST", `/api/projects/${board.id}/tasks`, { title: "Gamma" });
    await page.goto(`${stack.webUrl}/projects/${board.id}/tasks`);
    // Hydrated (its stream open) before the first key: on a busy machine the load event comes well before that.
    await page.getByTestId("live-state").and(page.locator('[data-state="live"]')).waitFor();
    await page.keyboard.press("j");
    await page.locator('tr[data-selected="true"]', { hasText: "Gamma" }).waitFor();
    await page.keyboard.press("2");
    await page.getByTestId("list-message").getByText("“Gamma” is now In progress.").waitFor();
    expect((await taskNow(only.id)).status).toBe("in_progress");
    await page.keyboard.press("s");
    await page.locator('tr[data-selected="true"]').getByLabel("Status", { exact: true }).waitFor();
    await page.keyboard.press("Escape");
  }, 120_000);

  it("? opens the help overlay listing the shortcuts, on the board and the list; Escape closes it", async () => {
    for (const path of [`/projects/${project.id}`, `/projects/${project.id}/tasks`]) {
      await page.goto(`${stack.webUrl}${path}`);
      const help = page.getByRole("dialog", { name: "Keyboard shortcuts" });
      await pressUntilShown(page, "?", help);
      for (const does of [
        "Next card or row",
        "Move the card to the column to the left or right",
        "Open the card or row",
      ]) {
        await help.getByText(does).waitFor();
      }
      await page.keyboard.press("Escape");
      await help.waitFor({ state: "hidden" });
    }
  }, 120_000);

  it("keyboard only: create a task, move it across the board to review, approve it", async () => {
    const board = await api<Project>("POST", "/api/projects", { name: "Walkthrough" });
    await page.goto(`${stack.webUrl}/projects/${board.id}`);
    await page.getByTestId("live-state").and(page.locator('[data-state="live"]')).waitFor();

    await openPalette(page);
    await page.keyboard.type("create a task");
    await page.getByRole("option", { name: "Create a task in Walkthrough" }).waitFor();
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => (document.activeElement as HTMLInputElement | null)?.name === "title");
    await page.keyboard.type("Land the probe");
    await page.keyboard.press("Enter");
    await page.getByText("Created “Land the probe”.").waitFor();
    await page.locator('section[data-status="pending"] li', { hasText: "Land the probe" }).waitFor();
    await page.keyboard.press("Escape");

    const announced = page.getByTestId("board-message");
    await page.keyboard.press("j");
    await page.locator('[data-selected="true"]', { hasText: "Land the probe" }).waitFor();
    await page.keyboard.press("Shift+ArrowRight");
    await announced.getByText("Moved “Land the probe” to In progress.").waitFor();
    await page.locator('section[data-status="in_progress"] li', { hasText: "Land the probe" }).waitFor();
    await page.keyboard.press("Shift+ArrowRight");
    await announced.getByText("Moved “Land the probe” to Review.").waitFor();
    await page.locator('section[data-status="review"] li', { hasText: "Land the probe" }).waitFor();

    await page.keyboard.press("Enter");
    await page.waitForURL(/\/tasks\/[0-9a-f-]{36}$/);
    await page.getByRole("heading", { name: "Waiting for review" }).waitFor();
    await openPalette(page);
    await page.keyboard.type("approve");
    await page.getByRole("option", { name: "Approve “Land the probe”" }).waitFor();
    await page.keyboard.press("Enter");
    await page.getByTestId("palette-notice").getByText("Approved: the task is completed.").waitFor();
    await page.getByTestId("task-status").getByText("Completed").waitFor();
    const id = new URL(page.url()).pathname.split("/")[2] as string;
    expect((await taskNow(id)).status).toBe("completed");
  }, 120_000);
});
