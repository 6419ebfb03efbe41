// The "Needs you" inbox in a real browser: the built dashboard (`next start`) against the real API on its own
// database, Chromium's own EventSource. The person's session is sealed here as the dashboard seals it after a
// sign-in, with an access token from the test issuer whose keys the API trusts. Someone assigns the person a task
// through the API: the header's badge and the inbox show it without a reload; marking it read clears the badge.
import type { Project } from "@taskflow/contracts";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestApi } from "../../../api/test/support/test-api.ts";
import type { RunningWeb } from "../../launch.ts";
import { type SignedInWeb, startSignedInWeb } from "./signed-in-web.ts";

let stack: SignedInWeb;
let api: TestApi;
let web: RunningWeb;

beforeAll(async () => {
  stack = await startSignedInWeb();
  ({ api, web } = stack);
}, 900_000);

afterAll(() => stack?.stop(), 60_000);

/** A browser signed in as Bob: the session cookie the dashboard writes after a sign-in. */
const signedIn = (bob: { sub: string; orgId: string }): Promise<BrowserContext> =>
  stack.contextFor({ sub: bob.sub, name: "Bob", orgId: bob.orgId, orgRole: "member" });

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
  return { owner, bob: { ...bob, orgId }, project };
}

describe("the inbox in the browser", () => {
  it("shows a new notification in the badge and the inbox without a reload; marking it read clears the badge", async () => {
    const { owner, bob, project } = await team();
    const context = await signedIn(bob);
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
    const { bob } = await team();
    const context = await signedIn(bob);
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
