import { createHash, randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as schema from "../src/db/schema.ts";
import { Browser, exchangeCode, hiddenInput, mailboxMail, startTestSso, type TestSso } from "./helpers.ts";

// Usernames are optional (Better Auth's username plugin; the pages call them handles): chosen at
// sign-up or on the account page, unique regardless of case, and good for signing in instead of
// the email address — also in the middle of an OAuth authorization request.
const DASHBOARD_ID = "dashboard";
const DASHBOARD_SECRET = "dashboard-secret-0123456789";
const DASHBOARD_REDIRECT = "http://127.0.0.1:9/api/auth/callback";

let sso: TestSso;

beforeAll(async () => {
  sso = await startTestSso(
    {
      DASHBOARD_CLIENT_ID: DASHBOARD_ID,
      DASHBOARD_CLIENT_SECRET: DASHBOARD_SECRET,
      DASHBOARD_REDIRECT_URIS: DASHBOARD_REDIRECT,
    },
    { rateLimit: { enabled: false } },
  );
});

afterAll(async () => {
  await sso?.close();
});

async function userRow(email: string) {
  const [row] = await sso.sso.database.db
    .select({ id: schema.user.id, username: schema.user.username })
    .from(schema.user)
    .where(eq(schema.user.email, email));
  return row;
}

/** Signs up through the page and follows the confirmation link. */
async function confirmedAccount(fields: Record<string, string>): Promise<void> {
  const response = await new Browser().submit(`${sso.url}/sign-up`, fields);
  expect(response.status).toBe(200);
  expect(await response.text()).toContain("Check your inbox");
  const mail = await mailboxMail(sso, fields.email ?? "", "confirm");
  await new Browser().follow(mail.link, sso.url);
}

function signIn(browser: Browser, login: string, password: string, extra: Record<string, string> = {}) {
  return browser.submit(`${sso.url}/sign-in`, { email: login, password, ...extra });
}

describe("optional usernames (handles)", () => {
  const password = "an excellent passphrase";

  it("signs up with a handle, stored in lower case, and signs in with it or with the email", async () => {
    const page = await (await fetch(`${sso.url}/sign-up`)).text();
    expect(page).toContain('<label for="field-username">Handle (optional)</label>');
    expect(page).toMatch(
      /<input id="field-username" name="username" type="text"[^>]*autocomplete="username"/,
    );
    await confirmedAccount({ name: "Ada", email: "ada@example.test", username: "Ada.L", password });
    expect((await userRow("ada@example.test"))?.username).toBe("ada.l");

    for (const login of ["ada.l", "ADA.L", "ada@example.test"]) {
      const browser = new Browser();
      const response = await signIn(browser, login, password);
      expect(response.status, login).toBe(303);
      expect(response.headers.get("location")).toBe("/account");
      const account = await (await browser.fetch(`${sso.url}/account`)).text();
      expect(account).toContain("handle <strong>ada.l</strong>");
    }
  });

  it("is optional: an account without one signs in with its email", async () => {
    await confirmedAccount({ name: "Brian", email: "brian@example.test", password });
    expect((await userRow("brian@example.test"))?.username).toBeNull();
    expect((await signIn(new Browser(), "brian@example.test", password)).status).toBe(303);
  });

  it("refuses a taken or malformed handle on its field, and creates no account", async () => {
    const taken = await new Browser().submit(`${sso.url}/sign-up`, {
      name: "Other Ada",
      email: "other.ada@example.test",
      username: "ADA.l",
      password,
    });
    expect(taken.status).toBe(400);
    const takenPage = await taken.text();
    expect(takenPage).toContain(
      '<p class="error" id="field-username-error">That handle is taken. Choose another.</p>',
    );
    // The form keeps what was typed.
    expect(takenPage).toContain('value="other.ada@example.test"');
    expect(await userRow("other.ada@example.test")).toBeUndefined();
    for (const bad of ["ab", "has space", "at@sign", "x".repeat(31)]) {
      const refused = await new Browser().submit(`${sso.url}/sign-up`, {
        name: "Bad",
        email: "bad@example.test",
        username: bad,
        password,
      });
      expect(refused.status, bad).toBe(400);
      expect(await refused.text()).toContain(
        'id="field-username-error">Use 3–30 letters, digits, _ or . for a handle.',
      );
    }
    expect(await userRow("bad@example.test")).toBeUndefined();
  });

  it("answers an unknown handle and a wrong password the same way", async () => {
    const wrong = await signIn(new Browser(), "ada.l", "not the right passphrase");
    const unknown = await signIn(new Browser(), "nobody.here", "not the right passphrase");
    const malformed = await signIn(new Browser(), "x", "not the right passphrase");
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(malformed.status).toBe(401);
    const body = await wrong.text();
    expect(body.replace("ada.l", "X")).toBe((await unknown.text()).replace("nobody.here", "X"));
    expect(body).toContain("Invalid email, handle or password.");
  });

  it("refuses a handle sign-in before the address is confirmed, and mails a new link", async () => {
    const signedUp = await new Browser().submit(`${sso.url}/sign-up`, {
      name: "Unconfirmed",
      email: "later@example.test",
      username: "later",
      password,
    });
    expect(signedUp.status).toBe(200);
    const before = sso.sso.mailer.list().filter((m) => m.to === "later@example.test").length;
    const refused = await signIn(new Browser(), "later", password);
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain("Confirm your email address first");
    await expect
      .poll(() => sso.sso.mailer.list().filter((m) => m.to === "later@example.test").length)
      .toBe(before + 1);
    const link = (await mailboxMail(sso, "later@example.test", "confirm")).link;
    expect(new URL(link).searchParams.get("callbackURL")).toBe("/sign-in?verified=1");
  });

  it("sets, changes and removes the handle on the account page", async () => {
    const browser = new Browser();
    expect((await signIn(browser, "brian@example.test", password)).status).toBe(303);
    const page = await (await browser.fetch(`${sso.url}/account`)).text();
    expect(page).toContain('<label for="field-username">Handle</label>');

    const set = await browser.submit(`${sso.url}/account/username`, { username: "Brian_K" });
    expect(set.status).toBe(303);
    expect(decodeURIComponent(set.headers.get("location") ?? "")).toContain("Handle saved.");
    expect((await userRow("brian@example.test"))?.username).toBe("brian_k");
    expect((await signIn(new Browser(), "brian_k", password)).status).toBe(303);

    const taken = await browser.submit(`${sso.url}/account/username`, { username: "ada.l" });
    expect(taken.status).toBe(400);
    const takenPage = await taken.text();
    expect(takenPage).toContain('id="field-username-error">That handle is taken. Choose another.');
    expect(takenPage).toContain('value="ada.l"');
    const malformed = await browser.submit(`${sso.url}/account/username`, { username: "no way" });
    expect(malformed.status).toBe(400);
    expect((await userRow("brian@example.test"))?.username).toBe("brian_k");

    const changed = await browser.submit(`${sso.url}/account/username`, { username: "bkernighan" });
    expect(changed.status).toBe(303);
    expect((await userRow("brian@example.test"))?.username).toBe("bkernighan");
    expect((await signIn(new Browser(), "brian_k", password)).status).toBe(401);

    const removed = await browser.submit(`${sso.url}/account/username`, { username: "" });
    expect(removed.status).toBe(303);
    expect(decodeURIComponent(removed.headers.get("location") ?? "")).toContain("Handle removed.");
    expect((await userRow("brian@example.test"))?.username).toBeNull();
    expect((await signIn(new Browser(), "bkernighan", password)).status).toBe(401);
    // The freed handle can be taken by someone else.
    await confirmedAccount({ name: "Ken", email: "ken@example.test", username: "bkernighan", password });
    expect((await userRow("ken@example.test"))?.username).toBe("bkernighan");
  });

  it("signs in with a handle in the middle of an authorization request and carries it on", async () => {
    const browser = new Browser();
    const verifier = randomBytes(32).toString("base64url");
    const start = await browser.follow(
      `${sso.url}/api/auth/oauth2/authorize?${new URLSearchParams({
        response_type: "code",
        client_id: DASHBOARD_ID,
        redirect_uri: DASHBOARD_REDIRECT,
        scope: "openid email",
        code_challenge: createHash("sha256").update(verifier).digest("base64url"),
        code_challenge_method: "S256",
        state: "st-handle",
      })}`,
      sso.url,
    );
    expect(new URL(start.url).pathname).toBe("/sign-in");
    const oauthQuery = hiddenInput(await start.response.text(), "oauth_query") ?? "";
    const signedIn = await signIn(browser, "ada.l", password, { oauth_query: oauthQuery });
    expect(signedIn.status).toBe(303);
    const location = new URL(signedIn.headers.get("location") ?? "", sso.url);
    const redirect =
      location.origin === sso.url ? new URL((await browser.follow(location, sso.url)).url) : location;
    expect(`${redirect.origin}${redirect.pathname}`).toBe(DASHBOARD_REDIRECT);
    expect(redirect.searchParams.get("state")).toBe("st-handle");
    const code = redirect.searchParams.get("code") ?? "";
    expect(code).not.toBe("");
    const token = await exchangeCode(
      sso.url,
      { id: DASHBOARD_ID, secret: DASHBOARD_SECRET, redirectUri: DASHBOARD_REDIRECT },
      { code, verifier },
    );
    expect(token.status).toBe(200);
    const { access_token } = (await token.json()) as { access_token: string };
    const userinfo = await fetch(`${sso.url}/api/auth/oauth2/userinfo`, {
      headers: { authorization: `Bearer ${access_token}` },
    });
    expect(((await userinfo.json()) as { email: string }).email).toBe("ada@example.test");
  });
});
