// The dashboard's session against a real SSO (in this process, on its own migrated database): sign-out revokes
// the refresh token at the SSO's revocation endpoint (a refresh with it then fails) and ends the SSO session;
// switching organization revokes the old refresh token and a silent new authorization carries the organization
// chosen in the SSO session. The dashboard's own functions (src/lib) drive it; a tiny cookie-jar browser plays
// the person's browser at the SSO.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as ssoSchema from "../../sso/src/db/schema.ts";
import { Browser, hiddenInput, startTestSso, type TestSso } from "../../sso/test/helpers.ts";
import { parseEnv, type WebConfig } from "../src/env.ts";
import { discover, finishLogin, organizationParameter, refreshSession, startLogin } from "../src/lib/oidc.ts";
import { fetchUserInfo, organizationChoices } from "../src/lib/organizations.ts";
import type { Session } from "../src/lib/session-crypto.ts";
import { signOut } from "../src/lib/sign-out.ts";
import { switchOrganization } from "../src/lib/switch-organization.ts";
import { orgClaims } from "../src/lib/token-claims.ts";

const email = "ada@example.test";
const password = "correct horse battery staple";
const dashboardSecret = "dashboard-secret-for-this-test-0123";
// The dashboard is never contacted: the browser stops at the redirect back to it.
const dashboardUrl = "http://127.0.0.1:9";
const api = "http://127.0.0.1:8";

let sso: TestSso;
let cfg: WebConfig;
let client: Awaited<ReturnType<typeof discover>>;

beforeAll(async () => {
  sso = await startTestSso({
    ADMIN_EMAIL: email,
    ADMIN_PASSWORD: password,
    API_AUDIENCE: api,
    DASHBOARD_CLIENT_SECRET: dashboardSecret,
    DASHBOARD_REDIRECT_URIS: `${dashboardUrl}/api/auth/callback`,
  });
  cfg = parseEnv({
    SSO_ISSUER: sso.url,
    PUBLIC_URL: dashboardUrl,
    API_URL: api,
    DASHBOARD_CLIENT_SECRET: dashboardSecret,
    SESSION_SECRET: "a-session-secret-0123456789abcdefghijklmnop",
  });
  client = await discover(cfg);
}, 120_000);

afterAll(async () => {
  await sso?.close();
});

/** Follows an authorization URL in the browser, signing in when the SSO asks; returns the redirect back. */
async function authorize(browser: Browser, url: URL): Promise<URL> {
  let step = await browser.follow(url, sso.url);
  if (new URL(step.url).origin === sso.url) {
    expect(new URL(step.url).pathname).toBe("/sign-in");
    const signedIn = await browser.submit(`${sso.url}/sign-in`, {
      email,
      password,
      oauth_query: hiddenInput(await step.response.text(), "oauth_query") ?? "",
    });
    expect(signedIn.status).toBe(303);
    const next = new URL(signedIn.headers.get("location") ?? "", sso.url);
    if (next.origin === sso.url) step = await browser.follow(next, sso.url);
    else step = { response: signedIn, url: next.toString() };
  }
  const back = new URL(step.url);
  expect(back.origin + back.pathname).toBe(cfg.redirectUri);
  return back;
}

async function signIn(browser: Browser): Promise<Session> {
  const { url, pending } = await startLogin(client, cfg, "/");
  return finishLogin(client, cfg, await authorize(browser, url), pending);
}

describe("sign-out", () => {
  it("revokes the refresh token at the SSO, so a refresh with it fails, and ends the SSO session", async () => {
    expect(client.serverMetadata().revocation_endpoint).toBe(`${sso.url}/api/auth/oauth2/revoke`);
    const browser = new Browser();
    const session = await signIn(browser);
    expect(session.refreshToken).toBeTruthy();

    const { target, revoked } = await signOut(client, cfg, session);
    expect(revoked).toBe(true);
    await expect(refreshSession(client, cfg, session)).rejects.toThrow();

    // RP-initiated logout: the SSO ends its session and returns to the dashboard; the next sign-in asks again.
    expect(target.origin + target.pathname).toBe(`${sso.url}/api/auth/oauth2/end-session`);
    expect(target.searchParams.get("id_token_hint")).toBe(session.idToken);
    const ended = await browser.follow(target, sso.url);
    expect(ended.url).toBe(`${dashboardUrl}/`);
    const again = await startLogin(client, cfg, "/");
    expect(new URL((await browser.follow(again.url, sso.url)).url).pathname).toBe("/sign-in");
  });

  it("still ends the local session when the SSO refuses the revocation", async () => {
    const forged: Session = {
      accessToken: "x",
      refreshToken: "not-a-refresh-token-the-sso-issued",
      expiresAt: 0,
      user: { sub: "" },
    };
    const { target } = await signOut(client, cfg, forged);
    expect(target.pathname).toBe("/api/auth/oauth2/end-session");
  });
});

describe("switching organization", () => {
  it("revokes the old refresh token and re-authorizes silently into the organization chosen at the SSO", async () => {
    const browser = new Browser();
    const first = await signIn(browser);
    const personal = orgClaims(first.accessToken);
    expect(personal).toMatchObject({ orgRole: "owner" });

    // The organization page's list today: the SSO's userinfo names no organizations, so only the active one.
    const userinfo = await fetchUserInfo(client, first);
    expect(userinfo?.sub).toBe(first.user.sub);
    expect(organizationChoices(userinfo, personal)).toEqual([
      { id: personal.orgId, name: personal.orgId, role: "owner", active: true },
    ]);

    // At the SSO's account page: a second organization (creating it makes it active), then back to the
    // personal one and to the second again with "Switch to …".
    const created = await browser.submit(`${sso.url}/account/organizations`, { name: "Second" });
    expect(created.status).toBe(303);
    const [second_] = await sso.sso.database.db
      .select({ id: ssoSchema.organization.id })
      .from(ssoSchema.organization)
      .where(eq(ssoSchema.organization.name, "Second"));
    const secondId = second_?.id;
    expect(secondId).toBeTruthy();
    expect(hiddenInput(await (await browser.fetch(`${sso.url}/account`)).text(), "organizationId")).toBe(
      personal.orgId,
    );
    await browser.submit(`${sso.url}/account/active-organization`, { organizationId: personal.orgId ?? "" });
    const switched = await browser.submit(`${sso.url}/account/active-organization`, {
      organizationId: secondId ?? "",
    });
    expect(switched.headers.get("location")).toContain("Active%20organization%20changed");

    // The dashboard switches: no sign-in page (the SSO session exists, the dashboard skips consent).
    const { url, pending } = await switchOrganization(client, cfg, first, secondId);
    expect(url.searchParams.get(organizationParameter)).toBe(secondId);
    expect(pending.returnTo).toBe(
      `/organization?switched=1&from=${encodeURIComponent(personal.orgId ?? "")}&to=${secondId}`,
    );
    const second = await finishLogin(client, cfg, await authorize(browser, url), pending);
    expect(orgClaims(second.accessToken)).toEqual({ orgId: secondId, orgRole: "owner" });

    // The new refresh token refreshes and keeps the organization; the old one is refused (presenting it, the
    // SSO takes for a stolen token and revokes the person's whole family, so this goes last).
    const refreshed = await refreshSession(client, cfg, second);
    expect(orgClaims(refreshed.accessToken).orgId).toBe(secondId);
    await expect(refreshSession(client, cfg, first)).rejects.toThrow();
  });

  it("refuses an organization id that is not one", async () => {
    await expect(switchOrganization(client, cfg, undefined, "../../evil")).rejects.toThrow(/organization id/);
  });
});
