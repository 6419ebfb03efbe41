// Personal access tokens in a real browser: the built dashboard (`next start`) against the real API on its own
// database, Chromium. A signed-in person (the session sealed as the dashboard seals it after a sign-in, with an
// access token the API trusts and the dashboard's scopes; the SSO's sign-in is dashboard.e2e.test.ts's business)
// opens the account page from the navigation, makes a token, copies it from the page, a script calls the API
// with it, the person revokes it on the page, and the same call is refused.
import { existsSync } from "node:fs";
import type { Project } from "@taskflow/contracts";
import { freePort } from "@taskflow/db/testing";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dashboardClientId, startTestApi, type TestApi } from "../../../api/test/support/test-api.ts";
import { type RunningWeb, startWeb } from "../../launch.ts";
import { scopes } from "../../src/lib/oidc.ts";
import { seal, splitChunks } from "../../src/lib/session-crypto.ts";
import { ensureBuild, launchChromium } from "./stack.ts";

const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const sessionSecret = "session-secret-for-the-personal-token-test-0123456789";

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
      // Never reached: the session here is not refreshed and nobody signs in through it.
      SSO_ISSUER: api.issuer.issuer,
      API_URL: api.baseUrl,
      DASHBOARD_CLIENT_ID: dashboardClientId,
      DASHBOARD_CLIENT_SECRET: "dashboard-secret-for-the-personal-token-test",
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

/** A script: fetch and the token, nothing else. */
const script = (token: string, path: string) =>
  fetch(`${api.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });

describe("personal access tokens on the dashboard", () => {
  it("are made on the account page, shown once, work for a script, and stop when revoked there", async () => {
    const orgId = api.newTenant();
    const ada = await api.signIn({ orgId, orgRole: "member", name: "Ada" });
    const accessToken = await api.issuer.mint({
      sub: ada.sub,
      orgId,
      orgRole: "member",
      azp: dashboardClientId,
      extra: { scope: scopes },
    });
    const sealed = await seal(
      { accessToken, expiresAt: Math.floor(Date.now() / 1000) + 3600, user: { sub: ada.sub, name: "Ada" } },
      sessionSecret,
      "session",
      3600,
    );
    const context = await browser.newContext();
    await context.addCookies(
      splitChunks(sealed).map((value, index) => ({
        name: `tf_session.${index}`,
        value,
        url: web.url,
        httpOnly: true,
        sameSite: "Lax" as const,
      })),
    );
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    page.on("dialog", (dialog) => dialog.accept());

    await page.goto(`${web.url}/projects`);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Access tokens" }).click();
    await page.waitForURL(`${web.url}/account/tokens`);
    await page.getByText("No tokens yet.").waitFor();
    await page.getByLabel("Name (what it is for)").fill("Nightly report");
    await page.getByRole("checkbox", { name: /Write/ }).check();
    await page.getByRole("button", { name: "Create token" }).click();
    const shown = page.getByTestId("personal-token");
    await shown.waitFor();
    const token = (await shown.textContent())?.trim() ?? "";
    expect(token).toMatch(/^tfp_/);
    const row = page.getByTestId("personal-tokens").getByRole("listitem");
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.textContent()).toContain("taskflow:read, taskflow:write");
    expect(await row.textContent()).toContain("active");

    const listed = await script(token, "/api/projects");
    expect(listed.status).toBe(200);
    expect(((await listed.json()) as Project[]).map((p) => p.name)).toContain("My tasks");

    // Shown once: a fresh look at the page lists it without the token.
    await page.goto(`${web.url}/account/tokens`);
    expect(await page.content()).not.toContain(token);
    await page.getByRole("button", { name: "Revoke the token Nightly report" }).click();
    await page.getByTestId("personal-tokens").getByText("revoked").waitFor();
    expect((await script(token, "/api/projects")).status).toBe(401);
    await context.close();
  });
});
