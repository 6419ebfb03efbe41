// The "Needs you" inbox in a real browser: the built dashboard (`next start`) against the real API on its own
// database, Chromium's own EventSource. The person's session is sealed here as the dashboard seals it after a
// sign-in, with an access token from the test issuer whose keys the API trusts. Someone assigns the person a task
// through the API: the header's badge and the inbox show it without a reload; marking it read clears the badge.
import { existsSync } from "node:fs";
import type { Project } from "@taskflow/contracts";
import { freePort } from "@taskflow/db/testing";
import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dashboardClientId, startTestApi, type TestApi } from "../../../api/test/support/test-api.ts";
import { type RunningWeb, startWeb } from "../../launch.ts";
import { scopes } from "../../src/lib/oidc.ts";
import { seal, splitChunks } from "../../src/lib/session-crypto.ts";
import { ensureBuild, launchChromium } from "./stack.ts";

const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const sessionSecret = "session-secret-for-the-inbox-e2e-test-0123456789";

let api: TestApi;
let web: RunningWeb;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `Chromium is missing at ${chromiumPath}: install Debian's (apt-get install -y chromium).`,
    );
  }
  await ensureBuild();
  api = await startTestApi();
  const port = await freePort();
  web = await startWeb({
    port,
    host: "127.0.0.1",
    env: {
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      // Never reached: the sessions here are not refreshed and nobody signs in through it.
      SSO_ISSUER: api.issuer.issuer,
      API_URL: api.baseUrl,
      DASHBOARD_CLIENT_ID: dashboardClientId,
      DASHBOARD_CLIENT_SECRET: "dashboard-secret-for-the-inbox-e2e-test",
      SESSION_SECRET: sessionSecret,
      LOG_LEVEL: "warn",
    },
  });
  browser = await launchChromium(chromiumPath);
}, 900_000);

afterAll(async () => {
  await browser?.close();
  await web?.stop();
  await api?.close();
}, 60_000);

/** A browser signed in as Bob: the session cookie the dashboard writes after a sign-in. */
async function signedIn(token: string, sub: string): Promise<BrowserContext> {
  const context = await browser.newContext();
  const sealed = await seal(
    { accessToken: token, expiresAt: Math.floor(Date.now() / 1000) + 3600, user: { sub, name: "Bob" } },
    sessionSecret,
    "session",
    3600,
  );
  await context.addCookies(
    splitChunks(sealed).map((value, index) => ({
      name: `tf_session.${index}`,
      value,
      url: web.url,
      httpOnly: true,
      sameSite: "Lax" as const,
    })),
  );
  return context;
}

async function team() {
  const orgId = api.newTenant();
  const owner = await api.signIn({ orgId, orgRole: "owner", name: "Olive Owner" });
  const bob = await api.signIn({ orgId, orgRole: "member", name: "Bob" });
  const project = (
    await api.call<Project>("POST", "/api/projects", { token: owner.token, body: { name: "Inbox" } })
  ).body;
  const added = await api.call("POST", `/api/projects/${project.id}/members`, {
    token: owner.token,
    body: { workerId: bob.workerId, role: "member" },
  });
  expect(added.status).toBe(201);
  const bobsToken = await api.issuer.mint({
    sub: bob.sub,
    orgId,
    orgRole: "member",
    azp: dashboardClientId,
    extra: { scope: scopes },
  });
  return { owner, bob, project, bobsToken };
}

describe("the inbox in the browser", () => {
  it("shows a new notification in the badge and the inbox without a reload; marking it read clears the badge", async () => {
    const { owner, bob, project, bobsToken } = await team();
    const context = await signedIn(bobsToken, bob.sub);
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    try {
      await page.goto(`${web.url}/inbox`);
      await page.getByRole("heading", { name: "Needs you" }).waitFor();
      const badge = page.getByTestId("inbox-badge");
      expect(await badge.getAttribute("data-unread")).toBe("0");
      await page.getByText("Nothing here. You are all caught up.").waitFor();
      // A mark on the page's window: a reload would wipe it, a live update keeps it.
      await page.evaluate(() => Reflect.set(window, "inboxMarker", "still here"));
      // Give the page's EventSource its moment to open before the change it must hear of.
      await page.waitForTimeout(1_000);

      const created = await api.call<{ id: string }>("POST", `/api/projects/${project.id}/tasks`, {
        token: owner.token,
        body: { title: "Write the release notes", assigneeId: bob.workerId },
      });
      expect(created.status).toBe(201);
      await page.locator('[data-testid="inbox-badge"][data-unread="1"]').waitFor({ timeout: 10_000 });
      expect(await badge.textContent()).toBe("Needs you 1 unread");
      const item = page.getByTestId("notification").filter({ hasText: "Olive Owner assigned you" });
      await item.waitFor({ timeout: 10_000 });
      expect(await item.getAttribute("data-unread")).toBe("true");
      expect(
        await item
          .getByRole("link", { name: "Olive Owner assigned you “Write the release notes”" })
          .getAttribute("href"),
      ).toBe(`/tasks/${created.body.id}`);
      expect(await page.evaluate(() => Reflect.get(window, "inboxMarker"))).toBe("still here");

      await item.getByRole("button", { name: "Mark read" }).click();
      await page.locator('[data-testid="inbox-badge"][data-unread="0"]').waitFor({ timeout: 10_000 });
      await page.locator('[data-testid="notification"][data-unread="false"]').waitFor();

      // On any page the badge follows the inbox: a mention from elsewhere raises it without a reload.
      await page.goto(`${web.url}/projects`);
      await page.waitForTimeout(1_000);
      const comment = await api.call("POST", `/api/tasks/${created.body.id}/comments`, {
        token: owner.token,
        body: { body: `${bob.handle} the draft is in the repo` },
      });
      expect(comment.status).toBe(201);
      await page.locator('[data-testid="inbox-badge"][data-unread="1"]').waitFor({ timeout: 10_000 });
      await page.getByTestId("inbox-badge").click();
      await page.getByTestId("notification").filter({ hasText: "the draft is in the repo" }).waitFor();
    } finally {
      await context.close();
    }
  }, 180_000);

  it("lets the person choose mail per kind", async () => {
    const { bob, bobsToken } = await team();
    const context = await signedIn(bobsToken, bob.sub);
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    try {
      await page.goto(`${web.url}/account/notifications`);
      await page.getByRole("heading", { name: "Notification settings" }).waitFor();
      expect(await page.getByTestId("email-mention").inputValue()).toBe("immediate");
      await page.getByTestId("email-mention").selectOption("digest");
      await page.getByTestId("email-assigned").selectOption("off");
      await page.getByRole("button", { name: "Save" }).click();
      await page.getByText("Saved.").waitFor();
      const settings = await api.call<{ kinds: { kind: string; email: string }[] }>(
        "GET",
        "/api/notifications/settings",
        { token: bob.token },
      );
      expect(Object.fromEntries(settings.body.kinds.map((k) => [k.kind, k.email]))).toMatchObject({
        mention: "digest",
        assigned: "off",
        question: "immediate",
      });
      await page.reload();
      expect(await page.getByTestId("email-mention").inputValue()).toBe("digest");
    } finally {
      await context.close();
    }
  }, 120_000);
});
