import { createEmailVerificationToken } from "better-auth/api";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as schema from "../src/db/schema.ts";
import { Browser, hiddenInput, mailboxMail, startTestSso, type TestSso } from "./helpers.ts";

// A confirmation link that does not work (expired, cut off, forged) must not say "confirmed": Better
// Auth sends the browser to our callback with error=TOKEN_EXPIRED / INVALID_TOKEN, and the page
// says what happened and offers a new link, which then works.
const SECRET = "verification-test-secret-0123456789abcdef";
const EMAIL = "linus@example.test";
const PASSWORD = "a passphrase for the kernel";
const DASHBOARD_ID = "dashboard";
const DASHBOARD_REDIRECT = "http://127.0.0.1:9/api/auth/callback";

let sso: TestSso;

beforeAll(async () => {
  sso = await startTestSso(
    {
      BETTER_AUTH_SECRET: SECRET,
      DASHBOARD_CLIENT_ID: DASHBOARD_ID,
      DASHBOARD_CLIENT_SECRET: "dashboard-secret-0123456789",
      DASHBOARD_REDIRECT_URIS: DASHBOARD_REDIRECT,
    },
    { rateLimit: { enabled: false } },
  );
  const signedUp = await new Browser().submit(`${sso.url}/sign-up`, {
    name: "Linus",
    email: EMAIL,
    password: PASSWORD,
  });
  expect(signedUp.status).toBe(200);
});

afterAll(async () => {
  await sso?.close();
});

async function verified(): Promise<boolean> {
  const [row] = await sso.sso.database.db
    .select({ emailVerified: schema.user.emailVerified })
    .from(schema.user)
    .where(eq(schema.user.email, EMAIL));
  return row?.emailVerified === true;
}

/** The mailed link with its token replaced. */
function withToken(link: string, token: string): string {
  const url = new URL(link);
  url.searchParams.set("token", token);
  return url.toString();
}

describe("confirmation links that do not work", () => {
  it("an expired link says it expired, not confirmed, and offers a new one that works", async () => {
    const mail = await mailboxMail(sso, EMAIL, "confirm");
    expect(new URL(mail.link).searchParams.get("callbackURL")).toBe("/sign-in?verified=1");
    // What the mailed link looks like a day later: the same token, signed the same way, past its expiry.
    const expired = await createEmailVerificationToken(SECRET, EMAIL, undefined, -60);
    const browser = new Browser();
    const landed = await browser.follow(withToken(mail.link, expired), sso.url);
    expect(new URL(landed.url).pathname).toBe("/sign-in");
    expect(new URL(landed.url).searchParams.get("error")).toBe("TOKEN_EXPIRED");
    expect(landed.response.status).toBe(400);
    const page = await landed.response.text();
    expect(page).toContain("This confirmation link has expired");
    expect(page).not.toContain("is confirmed");
    expect(page).toContain('action="/verify-email/resend"');
    expect(await verified()).toBe(false);

    const mailsTo = () => sso.sso.mailer.list().filter((m) => m.to === EMAIL).length;
    const before = mailsTo();
    const asked = Date.now();
    const resent = await browser.submit(`${sso.url}/verify-email/resend`, { email: EMAIL });
    expect(resent.status).toBe(200);
    const answer = await resent.text();
    expect(answer).toContain("Check your inbox");
    // Same answer for an address without an account (no enumeration).
    const unknown = await new Browser().submit(`${sso.url}/verify-email/resend`, {
      email: "nobody@example.test",
    });
    expect((await unknown.text()).replace("nobody@example.test", "X")).toBe(answer.replace(EMAIL, "X"));

    const fresh = await mailboxMail(sso, EMAIL, "confirm", { after: asked - 1000 });
    expect(mailsTo()).toBe(before + 1);
    const confirmed = await browser.follow(fresh.link, sso.url);
    expect(new URL(confirmed.url).pathname).toBe("/account");
    expect(await confirmed.response.text()).toContain("Your email address is confirmed.");
    expect(await verified()).toBe(true);
  });

  it("an invalid link (cut off, or signed with another key) says it is not valid", async () => {
    const mail = await mailboxMail(sso, EMAIL, "confirm");
    const token = new URL(mail.link).searchParams.get("token") ?? "";
    const forged = await createEmailVerificationToken("another-secret-of-enough-length-0123456789", EMAIL);
    for (const bad of [token.slice(0, -5), "not-a-token", forged]) {
      const landed = await new Browser().follow(withToken(mail.link, bad), sso.url);
      expect(new URL(landed.url).searchParams.get("error")).toBe("INVALID_TOKEN");
      expect(landed.response.status).toBe(400);
      const page = await landed.response.text();
      expect(page).toContain("This confirmation link is not valid");
      expect(page).not.toContain("is confirmed");
      expect(page).toContain("Send a new confirmation link");
    }
    // The resend form refuses something that is not an address, on its field.
    const refused = await new Browser().submit(`${sso.url}/verify-email/resend`, { email: "linus" });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('<p class="error" id="field-email-error">');
  });

  it("keeps a pending authorization request through a failed link and the new one", async () => {
    const email = "margaret@example.test";
    const browser = new Browser();
    const start = await browser.follow(
      `${sso.url}/api/auth/oauth2/authorize?${new URLSearchParams({
        response_type: "code",
        client_id: DASHBOARD_ID,
        redirect_uri: DASHBOARD_REDIRECT,
        scope: "openid",
        code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
        code_challenge_method: "S256",
        state: "st",
      })}`,
      sso.url,
    );
    expect(new URL(start.url).pathname).toBe("/sign-in");
    const oauthQuery = hiddenInput(await start.response.text(), "oauth_query") ?? "";
    expect(oauthQuery).toContain("sig=");
    const asked = Date.now();
    await browser.submit(`${sso.url}/sign-up`, {
      name: "Margaret",
      email,
      password: "a passphrase for apollo",
      oauth_query: oauthQuery,
    });
    const mail = await mailboxMail(sso, email, "confirm", { after: asked - 1000 });
    const failed = await browser.follow(withToken(mail.link, "garbage"), sso.url);
    expect(failed.response.status).toBe(400);
    const failedPage = await failed.response.text();
    expect(hiddenInput(failedPage, "oauth_query")).toBe(oauthQuery);
    const again = Date.now();
    await browser.submit(`${sso.url}/verify-email/resend`, { email, oauth_query: oauthQuery });
    const fresh = await mailboxMail(sso, email, "confirm", { after: again - 1000 });
    const callback = new URL(new URL(fresh.link).searchParams.get("callbackURL") ?? "", sso.url);
    expect(callback.pathname).toBe("/sign-in");
    expect(callback.searchParams.get("client_id")).toBe(DASHBOARD_ID);
    expect(callback.searchParams.get("sig")).toBeTruthy();
  });
});
