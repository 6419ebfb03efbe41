// Personal access tokens in a real browser: the built dashboard (`next start`) against the real API on its own
// database, Chromium. A signed-in person (the session sealed as the dashboard seals it after a sign-in, with an
// access token the API trusts and the dashboard's scopes; the SSO's sign-in is dashboard.e2e.test.ts's business)
// opens the account page from the navigation, makes a token, copies it from the page, a script calls the API
// with it, the person revokes it on the page, and the same call is refused.
import type { Project } from "@taskflow/contracts";
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

/** A script: fetch and the token, nothing else. */
const script = (token: string, path: string) =>
  fetch(`${api.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });

describe("personal access tokens on the dashboard", () => {
  it("are made on the account page, shown once, work for a script, and stop when revoked there", async () => {
    const orgId = api.newTenant();
    const ada = await api.signIn({ orgId, orgRole: "member", name: "Ada" });
    const context = await stack.contextFor({ sub: ada.sub, name: "Ada", orgId, orgRole: "member" });
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
