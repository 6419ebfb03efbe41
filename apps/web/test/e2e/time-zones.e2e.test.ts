// Time zones, relative times, avatars and empty states in Chromium: the built dashboard against the real API.
// The browser's zone is the context's `timezoneId`; the instants the API stores are read back through the API.
import type { Preferences, Project, Task, TaskPage } from "@taskflow/contracts";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Person, type SignedInWeb, startSignedInWeb } from "./signed-in-web.ts";

let s: SignedInWeb;
beforeAll(async () => {
  s = await startSignedInWeb();
}, 900_000);
afterAll(() => s?.stop(), 60_000);

async function personWithProject(name: string, projectName: string) {
  const orgId = s.api.newTenant();
  const signed = await s.api.signIn({ orgId, orgRole: "owner", name });
  const project = (
    await s.api.call<Project>("POST", "/api/projects", { token: signed.token, body: { name: projectName } })
  ).body;
  const person: Person = { sub: signed.sub, name, orgId, orgRole: "owner" };
  return { ...signed, orgId, project, person };
}

async function open(page: Page, path: string) {
  await page.goto(`${s.web.url}${path}`);
}

describe("dates in the person's time zone", () => {
  it("come from the browser, are entered there, round-trip as UTC, and follow a change on /account", async () => {
    const ada = await personWithProject("Ada Lovelace", "Zones");
    const tokyo = await s.contextFor(ada.person, { timezoneId: "Asia/Tokyo" });
    const page = await tokyo.newPage();
    page.setDefaultTimeout(30_000);

    // The first page is drawn before the browser could say its zone; it says so, and the page is drawn again.
    // The board opens its new-task form on demand: ?new=1 opens it at once.
    await open(page, `/projects/${ada.project.id}?new=1`);
    await page.getByLabel("Due (Asia/Tokyo)").waitFor();
    const cookie = (await tokyo.cookies()).find((c) => c.name === "tf_tz");
    expect(decodeURIComponent(cookie?.value ?? "")).toBe("Asia/Tokyo");

    await page.getByLabel("Title").fill("Open the launch window");
    await page.getByLabel("Due (Asia/Tokyo)").fill("2026-05-01T18:30");
    await page.getByRole("button", { name: "Create task" }).click();
    await page.getByRole("link", { name: "Open the launch window" }).waitFor();
    const listed = await s.api.call<TaskPage>("GET", `/api/projects/${ada.project.id}/tasks`, {
      token: ada.token,
    });
    const task = listed.body.items.find((t) => t.title === "Open the launch window") as Task;
    expect(task.dueAt).toBe("2026-05-01T09:30:00.000Z");

    await open(page, `/tasks/${task.id}`);
    await page.getByText("1 May 2026, 18:30 GMT+9").first().waitFor();
    await page.getByRole("button", { name: "Edit all fields" }).click();
    expect(await page.locator("#edit-dueAt").inputValue()).toBe("2026-05-01T18:30");

    // Saving the edit form untouched keeps the instant (no drift through the zone).
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.getByText("Saved.").waitFor();
    const kept = await s.api.call<Task>("GET", `/api/tasks/${task.id}`, { token: ada.token });
    expect(kept.body.dueAt).toBe("2026-05-01T09:30:00.000Z");

    // Edited in place, the due date is shown and typed in the zone too: 20:00 in Tokyo is 11:00 UTC.
    await open(page, `/tasks/${task.id}`);
    await page.getByRole("button", { name: "(edit due (asia/tokyo))" }).click();
    const inPlace = page.getByLabel("Due (Asia/Tokyo)", { exact: true });
    expect(await inPlace.inputValue()).toBe("2026-05-01T18:30");
    await inPlace.fill("2026-05-01T20:00");
    await inPlace.press("Enter");
    await page.getByText("1 May 2026, 20:00 GMT+9").first().waitFor();
    const movedInPlace = await s.api.call<Task>("GET", `/api/tasks/${task.id}`, { token: ada.token });
    expect(movedInPlace.body.dueAt).toBe("2026-05-01T11:00:00.000Z");
    await page.getByRole("button", { name: "(edit due (asia/tokyo))" }).click();
    await inPlace.fill("2026-05-01T18:30");
    await inPlace.press("Enter");
    await page.getByText("1 May 2026, 18:30 GMT+9").first().waitFor();

    await open(page, "/account");
    expect(await page.getByTestId("current-time-zone").textContent()).toBe("Asia/Tokyo");
    await page.getByText("your browser's, until you choose one").waitFor();

    // Not a zone: the API refuses it and the form names the field.
    await page.locator("#timeZone").fill("Mars/Olympus_Mons");
    await page.getByRole("button", { name: "Save time zone" }).click();
    const error = page.locator("#timeZone-error");
    await error.waitFor();
    expect(await error.textContent()).toMatch(/IANA time zone/);
    expect(await page.locator("#timeZone").getAttribute("aria-invalid")).toBe("true");
    const unchanged = await s.api.call<Preferences>("GET", "/api/workers/me/preferences", {
      token: ada.token,
    });
    expect(unchanged.body.timeZone).toBeNull();

    await page.locator("#timeZone").fill("America/New_York");
    await page.getByRole("button", { name: "Save time zone" }).click();
    await page.getByText("Saved: dates show in America/New_York.").waitFor();
    const chosen = await s.api.call<Preferences>("GET", "/api/workers/me/preferences", { token: ada.token });
    expect(chosen.body.timeZone).toBe("America/New_York");

    await open(page, `/tasks/${task.id}`);
    await page.getByText("1 May 2026, 05:30 GMT-4").first().waitFor();
    await page.getByRole("button", { name: "Edit all fields" }).click();
    expect(await page.locator("#edit-dueAt").inputValue()).toBe("2026-05-01T05:30");
    await open(page, `/projects/${ada.project.id}/tasks`);
    await page.getByLabel("Due after (America/New_York)").waitFor();

    // The choice follows the person to another device, whatever that browser's zone.
    const paris = await s.contextFor(ada.person, { timezoneId: "Europe/Paris" });
    const elsewhere = await paris.newPage();
    await elsewhere.goto(`${s.web.url}/tasks/${task.id}`);
    await elsewhere.getByText("1 May 2026, 05:30 GMT-4").first().waitFor();
    await elsewhere.getByRole("button", { name: "Edit all fields" }).click();
    expect(await elsewhere.locator("#edit-dueAt").inputValue()).toBe("2026-05-01T05:30");
    await paris.close();

    // Back to the browser's zone.
    await open(page, "/account");
    await page.getByRole("button", { name: /Follow my browser/ }).click();
    await page.getByText("Saved: dates follow your browser's time zone.").waitFor();
    await open(page, `/tasks/${task.id}`);
    await page.getByText("1 May 2026, 18:30 GMT+9").first().waitFor();
    await tokyo.close();
  }, 180_000);

  it("filters the list by days of the person's zone", async () => {
    const bo = await personWithProject("Bo Chen", "Days");
    // 1 May 23:30 in Tokyo is still 30 April in UTC.
    for (const [title, dueAt] of [
      ["Late on the first", "2026-05-01T14:30:00.000Z"],
      ["On the second", "2026-05-02T03:00:00.000Z"],
    ]) {
      await s.api.call("POST", `/api/projects/${bo.project.id}/tasks`, {
        token: bo.token,
        body: { title, dueAt },
      });
    }
    await s.api.call("PATCH", "/api/workers/me/preferences", {
      token: bo.token,
      body: { timeZone: "Asia/Tokyo" },
    });
    const context = await s.contextFor(bo.person, { timezoneId: "Asia/Tokyo" });
    const page = await context.newPage();
    await open(page, `/projects/${bo.project.id}/tasks?dueBefore=2026-05-02`);
    const table = page.getByTestId("task-table");
    await table.waitFor();
    expect(await table.getByRole("link").allTextContents()).toEqual(["Late on the first"]);
    await open(page, `/projects/${bo.project.id}/tasks?dueAfter=2026-05-01`);
    expect(await page.getByTestId("task-table").getByRole("link").allTextContents()).toEqual([
      "On the second",
    ]);
    await context.close();
  });
});

describe("relative times", () => {
  it("word due dates and activity, with the absolute time in the tooltip; overdue is marked", async () => {
    const cy = await personWithProject("Cy Park", "Soon");
    await s.api.call("PATCH", "/api/workers/me/preferences", {
      token: cy.token,
      body: { timeZone: "Asia/Tokyo" },
    });
    const hour = 3_600_000;
    const soon = new Date(Date.now() + 3 * hour + 30 * 60_000).toISOString();
    const late = new Date(Date.now() - 2 * 24 * hour - hour).toISOString();
    for (const [title, dueAt] of [
      ["Soon", soon],
      ["Late", late],
    ]) {
      await s.api.call("POST", `/api/projects/${cy.project.id}/tasks`, {
        token: cy.token,
        body: { title, dueAt },
      });
    }
    const context = await s.contextFor(cy.person, { timezoneId: "Asia/Tokyo" });
    const page = await context.newPage();
    await open(page, `/projects/${cy.project.id}/tasks?sort=due`);
    const soonTime = page.locator(`time[datetime="${soon}"]`);
    await soonTime.waitFor();
    expect(await soonTime.textContent()).toMatch(/^due in 3 hours \(.+ GMT\+9\)$/);
    expect(await soonTime.getAttribute("title")).toMatch(/^\d+ \w{3} \d{4}, \d\d:\d\d GMT\+9$/);
    const lateTime = page.locator(`time[datetime="${late}"]`);
    expect(await lateTime.textContent()).toMatch(/^2 days overdue/);
    expect(await lateTime.getAttribute("data-overdue")).toBe("true");

    await open(page, `/projects/${cy.project.id}/activity`);
    const first = page.locator("ol time").first();
    await first.waitFor();
    expect(await first.textContent()).toMatch(/^(just now|\d+ minutes? ago) \(/);
    expect(await first.getAttribute("title")).toMatch(/GMT\+9$/);
    await context.close();
  });
});

describe("avatars", () => {
  it("tell people (circles) from agents (rounded squares), labelled for screen readers", async () => {
    const di = await personWithProject("Di Lovell", "Faces");
    const registered = await s.api.call<{ agent: { id: string } }>("POST", "/api/agents", {
      token: di.token,
      body: {
        handle: "@builder",
        name: "Builder Bot",
        agentType: "claude-code",
        joinProjects: [di.project.id],
      },
    });
    const agentId = registered.body.agent.id;
    for (const [title, assigneeId] of [
      ["For the agent", agentId],
      ["For Di", di.workerId],
    ]) {
      await s.api.call("POST", `/api/projects/${di.project.id}/tasks`, {
        token: di.token,
        body: { title, assigneeId },
      });
    }
    const context = await s.contextFor(di.person);
    const page = await context.newPage();
    await open(page, `/projects/${di.project.id}/tasks`);
    const agent = page.getByTestId("task-table").locator('[data-avatar="agent"]').first();
    const human = page.getByTestId("task-table").locator('[data-avatar="human"]').first();
    await agent.waitFor();
    expect(await agent.getAttribute("aria-label")).toBe("Agent");
    expect(await agent.getAttribute("class")).toContain("rounded-md");
    expect(await agent.textContent()).toBe("BB");
    expect(await human.getAttribute("aria-label")).toBe("Person");
    expect(await human.getAttribute("class")).toContain("rounded-full");
    expect(await human.textContent()).toBe("DL");
    // The two differ in colour as well as shape.
    const colour = (locator: typeof agent) => locator.evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(await colour(agent)).not.toBe(await colour(human));
    // On the board too, and in the activity.
    await open(page, `/projects/${di.project.id}`);
    await page.locator('[data-avatar="agent"]').first().waitFor();
    await open(page, `/projects/${di.project.id}/activity`);
    await page.locator('ol [data-avatar="human"]').first().waitFor();
    await context.close();
  });
});

describe("empty states", () => {
  it("say what to do next on every list", async () => {
    const ed = await personWithProject("Ed Nguyen", "Empty");
    const context = await s.contextFor(ed.person);
    const page = await context.newPage();

    await open(page, `/projects/${ed.project.id}`);
    await expect.poll(() => page.getByTestId("empty-column").count()).toBe(5);
    await page.getByText("No task waiting. Add one with “New task” below.").waitFor();

    await open(page, `/projects/${ed.project.id}/tasks`);
    const empty = page.getByTestId("list-empty");
    await empty.getByText("This project has no tasks yet.").waitFor();
    await empty.getByRole("link", { name: "Add the first task on the board" }).click();
    await page.waitForURL(`${s.web.url}/projects/${ed.project.id}`);

    await open(page, `/projects/${ed.project.id}/tasks?q=nothing-like-this`);
    await page.getByTestId("list-empty").getByRole("link", { name: "Clear the filters" }).waitFor();

    await open(page, "/agents");
    await page.getByTestId("empty-state").getByText("No agents yet.").waitFor();
    await page.getByTestId("empty-state").getByRole("link", { name: "connect it" }).waitFor();

    await open(page, "/inbox");
    await page
      .getByTestId("empty-state")
      .getByRole("link", { name: "Choose what also comes by mail" })
      .waitFor();
    await context.close();
  });
});
