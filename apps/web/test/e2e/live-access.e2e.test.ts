// The live pages in a real browser when the person's access ends under them (issue 12, item 5): the built
// dashboard (`next start`) against the real API on its own database; Chromium's own EventSource. The person's
// session is sealed here as the dashboard seals it after a sign-in, with an access token from the test issuer
// whose keys the API trusts (the SSO's sign-in itself is dashboard.e2e.test.ts's business). The page must say
// that live updates ended, and stop asking, instead of showing "reconnecting" forever.
import type { Project } from "@taskflow/contracts";
import { eventAccessRecheckMs } from "@taskflow/core";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dashboardClientId, type TestApi } from "../../../api/test/support/test-api.ts";
import type { RunningWeb } from "../../launch.ts";
import { scopes } from "../../src/lib/oidc.ts";
import { type SignedInWeb, startSignedInWeb } from "./signed-in-web.ts";

const slackMs = 3_000;

let stack: SignedInWeb;
let api: TestApi;
let web: RunningWeb;

beforeAll(async () => {
  stack = await startSignedInWeb();
  ({ api, web } = stack);
}, 900_000);

afterAll(() => stack?.stop(), 60_000);

/**
 * A browser signed in as this person: the session cookie the dashboard writes after a sign-in. `sessionExpiresAt`
 * is when the dashboard believes the token runs out (its proxy renews it a minute before).
 */
const signedIn = (token: string, sub: string, sessionExpiresAt: number): Promise<BrowserContext> =>
  stack.contextForToken(token, { sub, name: "Bob", expiresAt: sessionExpiresAt });

/** The requests the page makes to the dashboard's stream routes. */
function streamRequests(page: Page): string[] {
  const seen: string[] = [];
  page.on("request", (request) => {
    const path = new URL(request.url()).pathname;
    if (path === "/api/events" || /^\/api\/projects\/[^/]+\/events$/.test(path)) seen.push(path);
  });
  return seen;
}

const liveState = (page: Page, state: string) =>
  page.getByTestId("live-state").and(page.locator(`[data-state="${state}"]`));

async function team() {
  const orgId = api.newTenant();
  const owner = await api.signIn({ orgId, orgRole: "owner", name: "Olive" });
  const bob = await api.signIn({ orgId, orgRole: "member", name: "Bob" });
  const project = async (name: string) => {
    const created = await api.call<Project>("POST", "/api/projects", { token: owner.token, body: { name } });
    const added = await api.call("POST", `/api/projects/${created.body.id}/members`, {
      token: owner.token,
      body: { workerId: bob.workerId, role: "member" },
    });
    expect(added.status).toBe(201);
    return created.body;
  };
  /** Bob's access token as the SSO issues it to the dashboard: its client, the scopes the dashboard asks for. */
  const bobsToken = (expiresIn: number | string = "15m") =>
    api.issuer.mint({
      sub: bob.sub,
      orgId,
      orgRole: "member",
      azp: dashboardClientId,
      expiresIn,
      extra: { scope: scopes },
    });
  return { orgId, owner, bob, project, bobsToken };
}

const inAnHour = () => Math.floor(Date.now() / 1000) + 3600;

describe("a live page whose person loses access", () => {
  it("the board of a project the person is removed from says so within the bound and stops listening", async () => {
    const { owner, bob, project, bobsToken } = await team();
    const apollo = await project("Apollo");
    const context = await signedIn(await bobsToken(), bob.sub, inAnHour());
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    try {
      const requests = streamRequests(page);
      await page.goto(`${web.url}/projects/${apollo.id}`);
      await liveState(page, "live").waitFor();

      await api.call("DELETE", `/api/projects/${apollo.id}/members/${bob.workerId}`, { token: owner.token });
      await liveState(page, "lost").waitFor({ timeout: eventAccessRecheckMs + slackMs });
      await page.getByText("you no longer have access to this project").waitFor();
      // It stopped: no reconnect after the end, however long the page stays open.
      const asked = requests.length;
      await page.waitForTimeout(5_000);
      expect(requests.length).toBe(asked);
    } finally {
      await context.close();
    }
  }, 120_000);

  it("a page whose token runs out and is not renewed reconnects once, is refused, and says live updates stopped", async () => {
    const { bob, project, bobsToken } = await team();
    const gemini = await project("Gemini");
    const exp = Math.floor(Date.now() / 1000) + 8;
    const shortLived = await bobsToken(exp);
    // The dashboard believes the token good for an hour, so its proxy does not renew it: the API's refusal decides.
    const context = await signedIn(shortLived, bob.sub, inAnHour());
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    try {
      const requests = streamRequests(page);
      await page.goto(`${web.url}/projects/${gemini.id}`);
      await liveState(page, "live").waitFor();
      await liveState(page, "stopped").waitFor({ timeout: 8_000 + slackMs + 5_000 });
      await page.getByText("Live updates stopped.").waitFor();
      expect(requests.length).toBe(2);
      await page.waitForTimeout(5_000);
      expect(requests.length).toBe(2);
    } finally {
      await context.close();
    }
  }, 120_000);

  it("the home page of several projects drops the lost one and keeps listening to the others", async () => {
    const { owner, bob, project, bobsToken } = await team();
    const lost = await project("Lost project");
    const kept = await project("Kept project");
    for (const [projectId, title] of [
      [lost.id, "Task in the lost project"],
      [kept.id, "Task in the kept project"],
    ] as const) {
      await api.call("POST", `/api/projects/${projectId}/tasks`, { token: owner.token, body: { title } });
    }
    const context = await signedIn(await bobsToken(), bob.sub, inAnHour());
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    try {
      await page.goto(`${web.url}/`);
      const recent = page.getByTestId("recent-tasks");
      await recent.getByText("Task in the lost project").waitFor();
      await liveState(page, "live").waitFor();

      await api.call("DELETE", `/api/projects/${lost.id}/members/${bob.workerId}`, { token: owner.token });
      // Refreshed without a reload: the lost project's task is gone, the page still live.
      await expect
        .poll(() => recent.getByText("Task in the lost project").count(), {
          timeout: eventAccessRecheckMs + 10_000,
        })
        .toBe(0);
      await liveState(page, "live").waitFor();
      await api.call("POST", `/api/projects/${kept.id}/tasks`, {
        token: owner.token,
        body: { title: "Fresh in the kept project" },
      });
      await recent.getByText("Fresh in the kept project").waitFor({ timeout: 20_000 });
    } finally {
      await context.close();
    }
  }, 120_000);
});
