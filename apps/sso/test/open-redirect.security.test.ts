import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser, mailboxMail, startTestSso, type TestSso } from "./helpers.ts";

// `callbackURL=/%09/evil.example` on the sign-in page ended at http://evil.example: the check looked at the
// string (starts with "/", not "//", no backslash) and the browser, which drops the tab, read "//evil.example".
// Every place the SSO takes a redirect target now parses it as the browser does, against our own origin, and
// compares origins: our pages (callbackURL), and Better Auth's endpoints (callbackURL, redirectTo, …) through
// one before-hook. Each entry of a corpus of known bypasses (shared with the dashboard's tests) must end on
// our origin, on every path.

interface Entry {
  value: string;
  why: string;
}
const corpus = JSON.parse(
  readFileSync(new URL("./fixtures/open-redirect-bypasses.json", import.meta.url), "utf8"),
) as { bypasses: Entry[]; kept: { value: string; path: string }[] };

const ADMIN = { email: "owner@example.test", password: "correct horse battery staple" };
let sso: TestSso;
let origin: string;
const signedIn = new Browser();

/** The entry as it would be written in a link to the SSO. */
const linked = (entry: Entry) =>
  entry.value.replaceAll("{origin}", origin).replaceAll("{host}", new URL(origin).host);
/** What the server reads from such a link's query string. */
const decoded = (entry: Entry) => new URL(`${origin}/?v=${linked(entry)}`).searchParams.get("v") ?? "";

/**
 * Whether the value holds a control character other than tab, line feed or carriage return: such a
 * request is refused before any page or endpoint reads it (src/http/control-characters.ts), so it goes
 * nowhere at all.
 */
const refusedOutright = (entry: Entry) =>
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the characters the SSO refuses up front
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/.test(decoded(entry));

/** The 400 problem such a request gets: no Location, no page. */
function expectRefusedOutright(response: Response): void {
  expect(response.status).toBe(400);
  expect(response.headers.get("content-type")).toBe("application/problem+json");
  expect(response.headers.get("location")).toBeNull();
}

/** Where a response sends the browser, resolved as the browser resolves it. */
function destination(response: Response, from: string): string | undefined {
  const location = response.headers.get("location");
  return location === null ? undefined : new URL(location, from).origin;
}

beforeAll(async () => {
  sso = await startTestSso(
    { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, REQUIRE_EMAIL_VERIFICATION: "false" },
    { rateLimit: { enabled: false } },
  );
  origin = sso.sso.config.baseUrl;
  expect((await signedIn.submit(`${sso.url}/sign-in`, ADMIN)).status).toBe(303);
});

afterAll(async () => {
  await sso?.close();
});

describe.each(corpus.bypasses)("the bypass $value ($why)", (entry) => {
  it("stays on our origin from the sign-in page, signed in already (GET /sign-in)", async () => {
    const url = `${origin}/sign-in?callbackURL=${linked(entry)}`;
    const response = await signedIn.fetch(url);
    if (refusedOutright(entry)) return expectRefusedOutright(response);
    expect(response.status).toBe(303);
    expect(destination(response, url)).toBe(origin);
  });

  it("stays on our origin after signing in (POST /sign-in)", async () => {
    const response = await new Browser().submit(`${origin}/sign-in`, {
      ...ADMIN,
      callbackURL: decoded(entry),
    });
    if (refusedOutright(entry)) return expectRefusedOutright(response);
    expect(response.status).toBe(303);
    expect(destination(response, `${origin}/sign-in`)).toBe(origin);
  });

  it("is refused by Better Auth's endpoints that take one, or kept on our origin (callbackURL, redirectTo)", async () => {
    const value = decoded(entry);
    // What a browser would make of it: another origin, or nothing it can follow, must be refused outright.
    const leaves = !URL.canParse(value, origin) || new URL(value, origin).origin !== origin;
    const post = (path: string, body: Record<string, unknown>) =>
      fetch(`${origin}/api/auth${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", origin },
        body: JSON.stringify(body),
      });
    const signIn = await post("/sign-in/email", { ...ADMIN, callbackURL: value });
    if (refusedOutright(entry)) {
      expectRefusedOutright(signIn);
      expectRefusedOutright(
        await post("/request-password-reset", { email: "nobody@example.test", redirectTo: value }),
      );
      return;
    }
    const signInBody = (await signIn.json()) as { code?: string; url?: string };
    if (signIn.status === 403) expect(signInBody.code).toBe("INVALID_REDIRECT_TARGET");
    else expect(new URL(signInBody.url ?? "/", origin).origin).toBe(origin);
    if (leaves) expect(signIn.status).toBe(403);
    for (const response of [
      await post("/request-password-reset", { email: "nobody@example.test", redirectTo: value }),
      await post("/send-verification-email", { email: "nobody@example.test", callbackURL: value }),
    ]) {
      expect(response.status).toBeLessThan(500);
      if (leaves) expect(response.status).toBe(403);
    }
  });

  it("does not leave through the links mails carry (GET /verify-email, GET /reset-password/:token)", async () => {
    for (const path of ["/verify-email?token=forged", "/reset-password/forged-token?x=1"]) {
      const url = `${origin}/api/auth${path}&callbackURL=${linked(entry)}`;
      const response = await new Browser().fetch(url);
      const to = destination(response, url);
      expect(to === undefined || to === origin, `${path} -> ${response.headers.get("location")}`).toBe(true);
    }
  });
});

describe("targets of our own", () => {
  it.each(corpus.kept)("keeps $value", async ({ value, path }) => {
    const response = await signedIn.fetch(`${origin}/sign-in?callbackURL=${value}`);
    expect(response.headers.get("location")).toBe(path);
  });

  it("a reset mail asked for with our own page as redirectTo still works", async () => {
    const after = Date.now();
    const response = await fetch(`${origin}/api/auth/request-password-reset`, {
      method: "POST",
      headers: { "content-type": "application/json", origin },
      body: JSON.stringify({ email: ADMIN.email, redirectTo: `${origin}/reset-password` }),
    });
    expect(response.status).toBe(200);
    const mail = await mailboxMail(sso, ADMIN.email, "password", { after });
    const link = await new Browser().fetch(mail.link);
    expect(destination(link, mail.link)).toBe(origin);
  });
});
