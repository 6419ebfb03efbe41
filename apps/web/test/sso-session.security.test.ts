// The dashboard's session against a real SSO (in this process, on its own migrated database): sign-out revokes
// the refresh token at the SSO's revocation endpoint (a refresh with it then fails) and ends the SSO session;
// switching organization is one click: it revokes the old refresh token and a silent new authorization naming
// the organization carries it (and the person's role there), and a person who is not a member of the named
// organization never gets a token for it. The dashboard's own functions (src/lib) drive it; a tiny cookie-jar
// browser plays the person's browser at the SSO.
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as ssoSchema from "../../sso/src/db/schema.ts";
import { Browser, hiddenInput, startTestSso, type TestSso } from "../../sso/test/helpers.ts";
import { parseEnv, type WebConfig } from "../src/env.ts";
import { discover, finishLogin, organizationParameter, refreshSession, startLogin } from "../src/lib/oidc.ts";
import { fetchUserInfo, organizationChoices, switchNotice } from "../src/lib/organizations.ts";
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

/** Follows an authorization URL in the browser, signing in (as Ada unless told) when the SSO asks; returns the redirect back. */
async function authorize(browser: Browser, url: URL, who = email): Promise<URL> {
  let step = await browser.follow(url, sso.url);
  if (new URL(step.url).origin === sso.url) {
    expect(new URL(step.url).pathname).toBe("/sign-in");
    const signedIn = await browser.submit(`${sso.url}/sign-in`, {
      email: who,
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

async function signIn(browser: Browser, who = email): Promise<Session> {
  const { url, pending } = await startLogin(client, cfg, "/");
  return finishLogin(client, cfg, await authorize(browser, url, who), pending);
}

/** The dashboard's one-click switch, through to the new session (silent: the SSO session exists). */
async function switchTo(browser: Browser, session: Session, organizationId: string): Promise<Session> {
  const { url, pending } = await switchOrganization(client, cfg, session, organizationId);
  expect(url.searchParams.get(organizationParameter)).toBe(organizationId);
  return finishLogin(client, cfg, await authorize(browser, url), pending);
}

/** An organization made at the SSO with Ada in it as `role` (as an accepted invitation would make her). */
async function organizationWithAda(name: string, role: string): Promise<string> {
  const db = sso.sso.database.db;
  const id = randomUUID();
  await db.insert(ssoSchema.organization).values({ id, name, slug: `org-${id}`, createdAt: new Date() });
  const [ada] = await db
    .select({ id: ssoSchema.user.id })
    .from(ssoSchema.user)
    .where(eq(ssoSchema.user.email, email));
  await db
    .insert(ssoSchema.member)
    .values({ id: randomUUID(), organizationId: id, userId: ada?.id ?? "", role, createdAt: new Date() });
  return id;
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
  it("switches a member in one click: the old refresh token is revoked, the new token carries the org and role", async () => {
    const browser = new Browser();
    const first = await signIn(browser);
    const personal = orgClaims(first.accessToken);
    expect(personal).toMatchObject({ orgRole: "owner" });
    const acmeId = await organizationWithAda("Acme", "admin");

    // The organization page's list: every organization of the person, from the SSO's userinfo.
    const userinfo = await fetchUserInfo(client, first);
    expect(userinfo?.sub).toBe(first.user.sub);
    expect(organizationChoices(userinfo, personal)).toEqual([
      { id: personal.orgId, name: "Administrator's workspace", role: "owner", active: true },
      { id: acmeId, name: "Acme", role: "admin", active: false },
    ]);

    // "Switch to Acme": no sign-in page, no visit to the SSO's account page.
    const second = await switchTo(browser, first, acmeId);
    expect(orgClaims(second.accessToken)).toEqual({ orgId: acmeId, orgRole: "admin" });
    expect(
      switchNotice(
        { switched: "1", from: personal.orgId ?? "", to: acmeId },
        orgClaims(second.accessToken).orgId,
      )?.tone,
    ).toBe("done");
    expect(
      organizationChoices(await fetchUserInfo(client, second), orgClaims(second.accessToken))[0],
    ).toEqual({
      id: acmeId,
      name: "Acme",
      role: "admin",
      active: true,
    });

    // The new refresh token refreshes and keeps the organization; the old one is refused (presenting it, the
    // SSO takes for a stolen token and revokes the person's whole family, so the switch back comes first).
    const refreshed = await refreshSession(client, cfg, second);
    expect(orgClaims(refreshed.accessToken)).toEqual({ orgId: acmeId, orgRole: "admin" });
    const back = await switchTo(browser, refreshed, personal.orgId ?? "");
    expect(orgClaims(back.accessToken)).toEqual(personal);
    await expect(refreshSession(client, cfg, first)).rejects.toThrow();
  });

  it("never gives a person who is not a member a token for the organization they name", async () => {
    const intruder = "mallory@example.test";
    await sso.sso.auth.api.signUpEmail({ body: { name: "Mallory", email: intruder, password } });
    await sso.sso.database.db
      .update(ssoSchema.user)
      .set({ emailVerified: true })
      .where(eq(ssoSchema.user.email, intruder));
    const target = await organizationWithAda("Ada's secret project", "owner");

    const browser = new Browser();
    const first = await signIn(browser, intruder);
    const own = orgClaims(first.accessToken);
    expect(own.orgId).toBeTruthy();
    expect(own.orgId).not.toBe(target);

    // She sends the switch for it anyway (a hand-made form post): the SSO keeps her in her own.
    const { url, pending } = await switchOrganization(client, cfg, first, target);
    const after = await finishLogin(client, cfg, await authorize(browser, url, intruder), pending);
    expect(orgClaims(after.accessToken)).toEqual(own);
    expect(switchNotice({ switched: "1", from: own.orgId ?? "", to: target }, own.orgId)?.tone).toBe(
      "unchanged",
    );
    const listed = organizationChoices(await fetchUserInfo(client, after), orgClaims(after.accessToken));
    expect(listed.map((choice) => choice.id)).toEqual([own.orgId]);
  });

  it("refuses an organization id that is not one", async () => {
    await expect(switchOrganization(client, cfg, undefined, "../../evil")).rejects.toThrow(/organization id/);
  });
});
