// A newcomer's first steps on the dashboard, in Debian's Chromium against the whole system (stack.ts): the first
// sign-in lands on Home; registering an agent marks what is required, shows examples as examples, says an empty
// agent type once and in words, and offers the projects the agent joins (its key then works there); a project or
// task page that does not exist, or is another organization's, answers HTTP 404; the dashboard has an icon.
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signUpAndIn as signUpAndInto } from "./sign-up.ts";
import { ensureBuild, launchChromium, startStack } from "./stack.ts";

const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

let stack: Awaited<ReturnType<typeof startStack>>;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `Chromium is missing at ${chromiumPath}: apt-get install -y chromium, or set CHROMIUM_PATH`,
    );
  }
  await ensureBuild();
  stack = await startStack();
  browser = await launchChromium(chromiumPath);
}, 900_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
}, 60_000);

/** A new person signs up from the dashboard's sign-in (mail confirmed) and signs in; returns where they landed. */
const signUpAndIn = (name: string) => signUpAndInto(stack, browser, name);

async function createProject(page: Page, name: string): Promise<string> {
  await page.goto(`${stack.webUrl}/projects`);
  await page.getByLabel("Name").fill(name);
  await page.getByRole("button", { name: "Create project" }).click();
  await page.waitForURL((url) => /^\/projects\/[0-9a-f-]{36}$/.test(url.pathname));
  return new URL(page.url()).pathname.split("/")[2] as string;
}

describe("a newcomer's first steps", () => {
  let person: Awaited<ReturnType<typeof signUpAndIn>>;

  it("lands on Home after the first sign-in", async () => {
    person = await signUpAndIn("Grace");
    expect(person.landed).toBe("/");
    await person.page.getByRole("heading", { name: "Home", level: 1 }).waitFor();
  }, 180_000);

  it("registers an agent: required fields marked, examples as examples, one plain message for a blank type", async () => {
    const { page } = person;
    await page.goto(`${stack.webUrl}/agents`);
    const form = page.locator("form", { has: page.getByRole("button", { name: "Register agent" }) });
    for (const label of ["Handle", "Name", "Agent type"]) {
      await expect(form.locator("label", { hasText: label }).first().textContent()).resolves.toContain(
        "(required)",
      );
      const input = form.getByLabel(label);
      expect(await input.getAttribute("required"), label).not.toBeNull();
      expect(await input.getAttribute("placeholder"), label).toMatch(/^e\.g\. /);
    }
    // The browser itself refuses an empty required field; spaces pass it, and the API refuses them.
    await form.getByLabel("Handle").fill("blank-type-bot");
    await form.getByLabel("Name").fill("Blank type bot");
    await form.getByLabel("Agent type").fill("   ");
    await form.getByRole("button", { name: "Register agent" }).click();
    const fieldError = page.locator("#agentType-error");
    await fieldError.waitFor();
    expect(await fieldError.textContent()).toBe("Required: more than spaces.");
    expect(await form.getByLabel("Agent type").getAttribute("aria-invalid")).toBe("true");
    const text = (await form.textContent()) ?? "";
    expect(text.split("Required: more than spaces.").length - 1).toBe(1);
    expect(text).not.toMatch(/Too small|must not be blank|body\.agentType/);
    await form.getByText("Check the marked field.").waitFor();
  }, 180_000);

  it("offers the projects an agent joins; the agent's key works in the ones ticked, and only there", async () => {
    const { page } = person;
    const apollo = await createProject(page, "Apollo");
    await createProject(page, "Gemini");
    await page.goto(`${stack.webUrl}/agents`);
    const form = page.locator("form", { has: page.getByRole("button", { name: "Register agent" }) });
    await form.getByRole("group", { name: "Projects it joins" }).getByText("Gemini").waitFor();
    await form.getByLabel("Handle").fill("apollo-bot");
    await form.getByLabel("Name").fill("Apollo bot");
    await form.getByLabel("Agent type").fill("claude-code");
    await form.getByRole("checkbox", { name: "Apollo" }).check();
    await form.getByRole("button", { name: "Register agent" }).click();
    await page.getByTestId("agent-projects").getByText("It is a member of Apollo").waitFor();
    const key = ((await page.getByTestId("agent-key").textContent()) ?? "").trim();
    const seen = await fetch(`${stack.apiUrl}/api/projects`, { headers: { authorization: `Bearer ${key}` } });
    expect(seen.status).toBe(200);
    expect(((await seen.json()) as { id: string }[]).map((p) => p.id)).toEqual([apollo]);
  }, 180_000);

  it("answers 404 for a project or task page that does not exist or is another organization's", async () => {
    const { page } = person;
    const own = await createProject(page, "Own");
    const stranger = await signUpAndIn("Linus");
    const theirs = await createProject(stranger.page, "Theirs");
    await stranger.context.close();
    const own200 = await page.goto(`${stack.webUrl}/projects/${own}`);
    expect(own200?.status()).toBe(200);
    for (const path of [
      `/projects/${theirs}`,
      `/projects/${theirs}/settings`,
      `/projects/${randomUUID()}`,
      `/projects/${randomUUID()}/tasks`,
      "/projects/not-an-id",
      `/tasks/${randomUUID()}`,
      "/tasks/not-an-id",
    ]) {
      const response = await page.goto(`${stack.webUrl}${path}`);
      expect(response?.status(), path).toBe(404);
      await page.getByRole("heading", { name: "Not found" }).waitFor();
      expect(await page.content(), path).not.toContain("Theirs");
    }
  }, 180_000);

  it("has an icon, linked from every page and at /favicon.ico", async () => {
    const { page } = person;
    await page.goto(`${stack.webUrl}/`);
    const href = await page.locator('link[rel="icon"]').first().getAttribute("href");
    expect(href).toMatch(/^\/icon\.svg/);
    const icon = await fetch(new URL(href as string, stack.webUrl));
    expect(icon.status).toBe(200);
    expect(icon.headers.get("content-type")).toContain("image/svg+xml");
    expect(await icon.text()).toContain("<svg");
    const legacy = await fetch(`${stack.webUrl}/favicon.ico`, { redirect: "manual" });
    expect(legacy.status).toBe(308);
    expect(legacy.headers.get("location")).toBe("/icon.svg");
    await person.context.close();
  }, 180_000);
});
