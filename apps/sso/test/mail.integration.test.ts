import { createHash, randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as schema from "../src/db/schema.ts";
import { Browser, exchangeCode, startTestSso, type TestSso } from "./helpers.ts";
import { linkIn, type ReceivedMail, startSmtpServer } from "./smtp.ts";

const API = "http://localhost:8000";
const DASHBOARD_ID = "dashboard";
const DASHBOARD_SECRET = "dashboard-secret-0123456789";
const DASHBOARD_REDIRECT = "http://127.0.0.1:9/api/auth/callback";

let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let sso: TestSso;

beforeAll(async () => {
  smtp = await startSmtpServer();
  sso = await startTestSso({
    SMTP_HOST: "127.0.0.1",
    SMTP_PORT: String(smtp.port),
    SMTP_SECURE: "false",
    EMAIL_FROM: "TaskFlow <sso@example.test>",
    API_AUDIENCE: API,
    DASHBOARD_CLIENT_ID: DASHBOARD_ID,
    DASHBOARD_CLIENT_SECRET: DASHBOARD_SECRET,
    DASHBOARD_REDIRECT_URIS: DASHBOARD_REDIRECT,
  });
});

afterAll(async () => {
  await sso?.close();
  await smtp?.close();
});

const to = (address: string, subject: string) => (mail: ReceivedMail) =>
  mail.to.includes(address) && mail.subject.toLowerCase().includes(subject.toLowerCase());

async function signUp(browser: Browser, name: string, email: string, password: string): Promise<string> {
  const response = await browser.submit(`${sso.url}/sign-up`, { name, email, password });
  expect(response.status).toBe(200);
  return response.text();
}

/** Signs up, follows the link of the verification mail, and leaves the browser signed in. */
async function verifiedAccount(
  browser: Browser,
  name: string,
  email: string,
  password: string,
): Promise<void> {
  await signUp(browser, name, email, password);
  const mail = await smtp.waitFor(to(email, "confirm"));
  const landed = await browser.follow(linkIn(mail, sso.url), sso.url);
  // Signed in by the link, the person lands on their account page.
  expect(new URL(landed.url).pathname).toBe("/account");
  expect(await landed.response.text()).toContain("Your email address is confirmed.");
}

async function sessionOf(browser: Browser) {
  const response = await browser.fetch(`${sso.url}/api/auth/get-session`, {
    headers: { accept: "application/json" },
  });
  return (await response.json()) as {
    user: { id: string; email: string; emailVerified: boolean };
    session: { activeOrganizationId?: string | null };
  } | null;
}

describe("mail through a real SMTP server", () => {
  const alice = new Browser();
  const bob = new Browser();
  const alicePassword = "first correct horse battery";

  it("sends a verification mail whose link confirms the address and signs the user in", async () => {
    const page = await signUp(alice, "Alice", "alice@example.test", alicePassword);
    expect(page).toContain("Check your inbox");
    // Not verified yet: sign-in is refused with a hint, and a fresh link is sent.
    const early = await new Browser().submit(`${sso.url}/sign-in`, {
      email: "alice@example.test",
      password: alicePassword,
    });
    expect(early.status).toBe(403);
    const mail = await smtp.waitFor(to("alice@example.test", "confirm"));
    expect(mail.raw).toContain("From: TaskFlow <sso@example.test>");
    const landed = await alice.follow(linkIn(mail, sso.url), sso.url);
    // The newest link is the one re-sent on the refused sign-in: it lands on the account page.
    expect(landed.response.status).toBe(200);
    expect(["/sign-in", "/account"]).toContain(new URL(landed.url).pathname);
    const session = await sessionOf(alice);
    expect(session?.user.email).toBe("alice@example.test");
    expect(session?.user.emailVerified).toBe(true);
    // The new user owns a personal organization, and it is the active one.
    const memberships = await sso.sso.database.db
      .select()
      .from(schema.member)
      .where(eq(schema.member.userId, session?.user.id ?? ""));
    expect(memberships.map((m) => m.role)).toEqual(["owner"]);
    expect(session?.session.activeOrganizationId).toBe(memberships[0]?.organizationId);
  });

  it("answers a sign-up for an existing address exactly like a new one, and tells the owner by mail", async () => {
    const existing = await signUp(new Browser(), "Mallory", "alice@example.test", "some other passphrase");
    const fresh = await signUp(new Browser(), "Mallory", "carol@example.test", "some other passphrase");
    expect(existing.replace("alice@example.test", "X")).toBe(fresh.replace("carol@example.test", "X"));
    await smtp.waitFor(to("alice@example.test", "tried to sign up"));
  });

  it("sends a reset mail whose link lets the user choose a new password", async () => {
    const known = await new Browser().submit(`${sso.url}/forgot-password`, { email: "alice@example.test" });
    const unknown = await new Browser().submit(`${sso.url}/forgot-password`, {
      email: "nobody@example.test",
    });
    expect(known.status).toBe(200);
    expect(unknown.status).toBe(200);
    expect(await known.text()).toBe(await unknown.text());
    const mail = await smtp.waitFor(to("alice@example.test", "reset"));
    const browser = new Browser();
    const form = await browser.follow(linkIn(mail, sso.url), sso.url);
    expect(new URL(form.url).pathname).toBe("/reset-password");
    const token = new URL(form.url).searchParams.get("token") ?? "";
    expect(token).not.toBe("");
    expect(await form.response.text()).toContain("Choose a new password");
    const weak = await browser.submit(`${sso.url}/reset-password`, { token, password: "short" });
    expect(weak.status).toBe(400);
    const done = await browser.submit(`${sso.url}/reset-password`, {
      token,
      password: "second correct horse battery",
    });
    expect(done.status).toBe(303);
    expect(done.headers.get("location")).toBe("/sign-in?reset=1");
    const oldPassword = await new Browser().submit(`${sso.url}/sign-in`, {
      email: "alice@example.test",
      password: alicePassword,
    });
    expect(oldPassword.status).toBe(401);
    const newPassword = await alice.submit(`${sso.url}/sign-in`, {
      email: "alice@example.test",
      password: "second correct horse battery",
    });
    expect(newPassword.status).toBe(303);
    // The link works once.
    const reused = await browser.submit(`${sso.url}/reset-password`, {
      token,
      password: "third correct horse battery",
    });
    expect(reused.status).toBe(400);
  });

  it("sends an invitation mail whose link adds the invitee to the organization, and tokens follow the active one", async () => {
    const aliceSession = await sessionOf(alice);
    const aliceOrg = aliceSession?.session.activeOrganizationId ?? "";
    expect(aliceOrg).not.toBe("");
    const invited = await alice.submit(`${sso.url}/account/invitations`, {
      email: "bob@example.test",
      role: "member",
    });
    expect(invited.status).toBe(303);
    expect(decodeURIComponent(invited.headers.get("location") ?? "")).toContain("Invitation sent");
    const invitation = await smtp.waitFor(to("bob@example.test", "invited"));
    const link = linkIn(invitation, sso.url);
    expect(new URL(link).pathname).toBe("/accept-invitation");

    await verifiedAccount(bob, "Bob", "bob@example.test", "a pass for the invitee");
    const page = await bob.fetch(link);
    expect(page.status).toBe(200);
    const accept = await bob.submit(`${sso.url}/accept-invitation`, {
      invitationId: new URL(link).searchParams.get("id") ?? "",
      decision: "accept",
    });
    expect(accept.status).toBe(303);
    const bobSession = await sessionOf(bob);
    const [membership] = await sso.sso.database.db
      .select()
      .from(schema.member)
      .where(
        and(eq(schema.member.userId, bobSession?.user.id ?? ""), eq(schema.member.organizationId, aliceOrg)),
      );
    expect(membership?.role).toBe("member");

    // Bob switches to Alice's organization; the dashboard's next token carries it and his role there.
    const switched = await bob.submit(`${sso.url}/account/active-organization`, { organizationId: aliceOrg });
    expect(switched.status).toBe(303);
    expect((await sessionOf(bob))?.session.activeOrganizationId).toBe(aliceOrg);
    const verifier = randomBytes(32).toString("base64url");
    const authorize = await bob.fetch(
      `${sso.url}/api/auth/oauth2/authorize?${new URLSearchParams({
        response_type: "code",
        client_id: DASHBOARD_ID,
        redirect_uri: DASHBOARD_REDIRECT,
        scope: "openid taskflow:read",
        code_challenge: createHash("sha256").update(verifier).digest("base64url"),
        code_challenge_method: "S256",
        state: "st",
        resource: API,
      })}`,
    );
    expect(authorize.status).toBe(302);
    const code = new URL(authorize.headers.get("location") ?? "").searchParams.get("code") ?? "";
    const token = await exchangeCode(
      sso.url,
      { id: DASHBOARD_ID, secret: DASHBOARD_SECRET, redirectUri: DASHBOARD_REDIRECT },
      { code, verifier, resource: API },
    );
    expect(token.status).toBe(200);
    const claims = decodeJwt(((await token.json()) as { access_token: string }).access_token);
    expect(claims.org_id).toBe(aliceOrg);
    expect(claims.org_role).toBe("member");
    expect(claims.email).toBe("bob@example.test");
    expect(claims.client_id).toBe(DASHBOARD_ID);
  });

  it("changes the email address after the old address approves and the new one confirms", async () => {
    const asked = await alice.submit(`${sso.url}/account/email`, { newEmail: "alice.new@example.test" });
    expect(asked.status).toBe(303);
    const approval = await smtp.waitFor(to("alice@example.test", "approve the change"));
    expect(approval.text).toContain("alice.new@example.test");
    await alice.follow(linkIn(approval, sso.url), sso.url);
    const confirmation = await smtp.waitFor(to("alice.new@example.test", "confirm"));
    await alice.follow(linkIn(confirmation, sso.url), sso.url);
    const [row] = await sso.sso.database.db
      .select()
      .from(schema.user)
      .where(eq(schema.user.email, "alice.new@example.test"));
    expect(row?.name).toBe("Alice");
  });

  it("deletes an account with its password, with the organizations only that person belonged to", async () => {
    const bobSession = await sessionOf(bob);
    const bobId = bobSession?.user.id ?? "";
    const before = await sso.sso.database.db
      .select()
      .from(schema.member)
      .where(eq(schema.member.userId, bobId));
    expect(before).toHaveLength(2);
    const wrong = await bob.submit(`${sso.url}/account/delete`, { password: "not the password at all" });
    expect(wrong.status).toBe(303);
    expect(
      await sso.sso.database.db.select().from(schema.user).where(eq(schema.user.id, bobId)),
    ).toHaveLength(1);
    const deleted = await bob.submit(`${sso.url}/account/delete`, { password: "a pass for the invitee" });
    expect(deleted.status).toBe(200);
    expect(
      await sso.sso.database.db.select().from(schema.user).where(eq(schema.user.id, bobId)),
    ).toHaveLength(0);
    const personal = before.find((membership) => membership.role === "owner")?.organizationId ?? "";
    const shared = before.find((membership) => membership.role === "member")?.organizationId ?? "";
    expect(
      await sso.sso.database.db
        .select()
        .from(schema.organization)
        .where(eq(schema.organization.id, personal)),
    ).toHaveLength(0);
    expect(
      await sso.sso.database.db.select().from(schema.organization).where(eq(schema.organization.id, shared)),
    ).toHaveLength(1);
  });
});
