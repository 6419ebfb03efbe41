import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as schema from "../src/db/schema.ts";
import { Browser, mailboxMail, startTestSso, type TestSso } from "./helpers.ts";

// "Not the email" holds wherever a password is chosen: sign-up, change (signed in) and reset (by a
// mailed link, with no session at all). Each refusal is tied to the password field of the form.
const EMAIL = "Grace.Hopper@Example.test";
const PASSWORD = "a first passphrase that works";
const HANDLE = "amazing.grace";

let sso: TestSso;

beforeAll(async () => {
  // The dev mailbox (no SMTP_HOST) holds the reset mails; rate limits off so every case can run.
  sso = await startTestSso(
    { ADMIN_EMAIL: "root@example.test", ADMIN_PASSWORD: "root passphrase 0123" },
    { rateLimit: { enabled: false } },
  );
  // A confirmed account with a handle, signed up through the page like anyone else.
  const signedUp = await new Browser().submit(`${sso.url}/sign-up`, {
    name: "Grace",
    email: EMAIL,
    username: HANDLE,
    password: PASSWORD,
  });
  expect(signedUp.status).toBe(200);
  const mail = await mailboxMail(sso, EMAIL.toLowerCase(), "confirm");
  await new Browser().follow(mail.link, sso.url);
});

afterAll(async () => {
  await sso?.close();
});

/** The error paragraph tied to a field (aria-describedby → id `field-<name>-error`). */
function fieldError(page: string, name: string): string | undefined {
  const input = page.match(new RegExp(`<input id="field-${name}"[^>]*>`))?.[0] ?? "";
  if (!input.includes('aria-invalid="true"') || !input.includes(`field-${name}-error`)) return undefined;
  return page.match(new RegExp(`<p class="error" id="field-${name}-error">([^<]*)</p>`))?.[1];
}

async function signedIn(password = PASSWORD): Promise<Browser> {
  const browser = new Browser();
  const response = await browser.submit(`${sso.url}/sign-in`, { email: EMAIL, password });
  expect(response.status).toBe(303);
  return browser;
}

async function canSignIn(password: string): Promise<boolean> {
  const response = await new Browser().submit(`${sso.url}/sign-in`, { email: EMAIL, password });
  return response.status === 303;
}

const withEmail = [
  EMAIL, // the address itself
  EMAIL.toUpperCase(), // in other case
  "x grace.hopper@example.test x", // contained
  "Grace.Hopper-rocks-2024", // the local part
];

describe("the password policy: not the email address", () => {
  it("refuses it at sign-up, on the password field", async () => {
    for (const password of withEmail) {
      const response = await new Browser().submit(`${sso.url}/sign-up`, {
        name: "Someone",
        email: "grace.hopper@example.test",
        password,
      });
      expect(response.status, password).toBe(400);
      expect(fieldError(await response.text(), "password"), password).toBe(
        "The password must not contain your email address.",
      );
    }
    // The handle chosen on the same form counts too.
    const handle = await new Browser().submit(`${sso.url}/sign-up`, {
      name: "Someone",
      email: "kay@example.test",
      username: "someone.new",
      password: "someone.new is my password",
    });
    expect(handle.status).toBe(400);
    expect(fieldError(await handle.text(), "password")).toBe("The password must not contain your handle.");
    const json = await fetch(`${sso.url}/api/auth/sign-up/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: sso.url },
      body: JSON.stringify({
        name: "X",
        email: "new.person@example.test",
        password: "new.person@example.test",
      }),
    });
    expect(json.status).toBe(400);
    expect(((await json.json()) as { code: string }).code).toBe("PASSWORD_POLICY");
  });

  it("refuses it on change-password (the account is the session's), and keeps the old password", async () => {
    const browser = await signedIn();
    for (const newPassword of [...withEmail, `my handle ${HANDLE}`]) {
      const response = await browser.submit(`${sso.url}/account/password`, {
        currentPassword: PASSWORD,
        newPassword,
      });
      expect(response.status, newPassword).toBe(400);
      const page = await response.text();
      expect(fieldError(page, "newPassword"), newPassword).toMatch(
        /^The password must not contain your (email address|handle)\.$/,
      );
      expect(page).toContain("The password was not changed.");
    }
    // Better Auth's own endpoint, called directly with the session cookie, refuses it the same way.
    const direct = await browser.fetch(`${sso.url}/api/auth/change-password`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json", origin: sso.url },
      body: JSON.stringify({ currentPassword: PASSWORD, newPassword: `${EMAIL}!` }),
    });
    expect(direct.status).toBe(400);
    expect(((await direct.json()) as { code: string }).code).toBe("PASSWORD_POLICY");
    expect(await canSignIn(PASSWORD)).toBe(true);
    // A wrong current password is its own field's error, and a good new password goes through.
    const wrong = await browser.submit(`${sso.url}/account/password`, {
      currentPassword: "not the current one",
      newPassword: "a perfectly fine new passphrase",
    });
    expect(wrong.status).toBe(400);
    expect(fieldError(await wrong.text(), "currentPassword")).toBe("That is not your current password.");
    const changed = await browser.submit(`${sso.url}/account/password`, {
      currentPassword: PASSWORD,
      newPassword: "a perfectly fine new passphrase",
    });
    expect(changed.status).toBe(303);
    expect(await canSignIn("a perfectly fine new passphrase")).toBe(true);
    // Back to the first one for the next test.
    const back = await (await signedIn("a perfectly fine new passphrase")).submit(
      `${sso.url}/account/password`,
      { currentPassword: "a perfectly fine new passphrase", newPassword: PASSWORD },
    );
    expect(back.status).toBe(303);
  });

  it("refuses it on reset-password (the account is the reset token's), and the link stays usable", async () => {
    const asked = Date.now();
    await new Browser().submit(`${sso.url}/forgot-password`, { email: EMAIL });
    const mail = await mailboxMail(sso, EMAIL.toLowerCase(), "reset", { after: asked - 1000 });
    const browser = new Browser();
    const form = await browser.follow(mail.link, sso.url);
    const token = new URL(form.url).searchParams.get("token") ?? "";
    expect(token).not.toBe("");
    for (const password of [...withEmail, `${HANDLE.toUpperCase()} forever`]) {
      const refused = await browser.submit(`${sso.url}/reset-password`, { token, password });
      expect(refused.status, password).toBe(400);
      expect(fieldError(await refused.text(), "password"), password).toMatch(
        /^The password must not contain your (email address|handle)\.$/,
      );
    }
    const direct = await fetch(`${sso.url}/api/auth/reset-password`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: sso.url },
      body: JSON.stringify({ token, newPassword: `pre-${EMAIL}` }),
    });
    expect(direct.status).toBe(400);
    expect(((await direct.json()) as { code: string }).code).toBe("PASSWORD_POLICY");
    expect(await canSignIn(PASSWORD)).toBe(true);
    // The refusals did not use the link up: a good password is accepted with it.
    const done = await browser.submit(`${sso.url}/reset-password`, {
      token,
      password: "a reset passphrase of mine",
    });
    expect(done.status).toBe(303);
    expect(done.headers.get("location")).toBe("/sign-in?reset=1");
    expect(await canSignIn("a reset passphrase of mine")).toBe(true);
    // An unknown token is refused as a bad link, whatever the password.
    const unknown = await browser.submit(`${sso.url}/reset-password`, {
      token: "no-such-token",
      password: EMAIL,
    });
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain("This reset link is invalid or has expired.");
    const [user] = await sso.sso.database.db
      .select({ username: schema.user.username })
      .from(schema.user)
      .where(eq(schema.user.email, EMAIL.toLowerCase()));
    expect(user?.username).toBe(HANDLE);
  });
});
