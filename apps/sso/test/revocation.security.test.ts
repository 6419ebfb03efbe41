import { eq } from "drizzle-orm";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as schema from "../src/db/schema.ts";
import { subjectRevocation } from "../src/db/subject-revocations.ts";
import { authorizeInBrowser, pkce } from "./authorization.ts";
import { Browser, mailboxMail, startTestSso, type TestSso } from "./helpers.ts";

// Banning a person or changing their password must end their OAuth grants. Found: after a ban, the person's
// refresh token still got access tokens and the rotated one worked again; a refresh token issued to session 1
// still worked after the password was changed from session 2, session 1 signed out. Now: a ban revokes every
// refresh token (sessions too) and the token endpoint refuses a banned person by any grant; a password change
// or reset revokes the refresh tokens of every other session; a ban or a deletion is published in the
// revocation feed the API and the MCP server poll.

const API = "http://localhost:8000";
const ADMIN = { email: "boss@example.test", password: "the administrator passphrase" };
const PASSWORD = "an ordinary passphrase";
const CLIENT = {
  id: "reporting-tool",
  secret: "reporting-tool-secret-0123456789",
  redirect: "http://127.0.0.1:9/cb",
};

let sso: TestSso;
const admin = new Browser();

beforeAll(async () => {
  sso = await startTestSso(
    {
      ...{ ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password },
      REQUIRE_EMAIL_VERIFICATION: "false",
      API_AUDIENCE: API,
      // A configured confidential client that may hold refresh tokens (offline_access), like the dashboard.
      EXTRA_OAUTH_CLIENTS: JSON.stringify([
        {
          client_id: CLIENT.id,
          client_secret: CLIENT.secret,
          client_name: "Reporting tool",
          redirect_uris: [CLIENT.redirect],
          skip_consent: true,
        },
      ]),
    },
    { rateLimit: { enabled: false } },
  );
  expect((await admin.submit(`${sso.url}/sign-in`, ADMIN)).status).toBe(303);
});

afterAll(async () => {
  await sso?.close();
});

interface Person {
  email: string;
  password: string;
  id: string;
}

async function person(name: string): Promise<Person> {
  const email = `${name.toLowerCase()}@example.test`;
  expect((await new Browser().submit(`${sso.url}/sign-up`, { name, email, password: PASSWORD })).status).toBe(
    303,
  );
  const [row] = await sso.sso.database.db.select().from(schema.user).where(eq(schema.user.email, email));
  return { email, password: PASSWORD, id: row?.id ?? "" };
}

function tokenRequest(parameters: Record<string, string>): Promise<Response> {
  return fetch(`${sso.url}/api/auth/oauth2/token`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      authorization: `Basic ${Buffer.from(`${CLIENT.id}:${CLIENT.secret}`).toString("base64")}`,
    },
    body: new URLSearchParams(parameters).toString(),
  });
}

/** An authorization code for the client, through the person's browser (signing in if it must). */
async function code(browser: Browser, who: Person): Promise<{ code: string; verifier: string }> {
  const { verifier, challenge } = pkce();
  const url = new URL(`${sso.url}/api/auth/oauth2/authorize`);
  url.search = new URLSearchParams({
    response_type: "code",
    client_id: CLIENT.id,
    redirect_uri: CLIENT.redirect,
    scope: "openid offline_access taskflow:read",
    state: "s",
    code_challenge: challenge,
    code_challenge_method: "S256",
    resource: API,
  }).toString();
  const back = new URL((await authorizeInBrowser(browser, sso.url, url, who)).location);
  expect(`${back.origin}${back.pathname}`).toBe(CLIENT.redirect);
  return { code: back.searchParams.get("code") ?? "", verifier };
}

function exchange(grant: { code: string; verifier: string }): Promise<Response> {
  return tokenRequest({
    grant_type: "authorization_code",
    code: grant.code,
    code_verifier: grant.verifier,
    redirect_uri: CLIENT.redirect,
    resource: API,
  });
}

async function tokens(
  browser: Browser,
  who: Person,
): Promise<{ access_token: string; refresh_token: string }> {
  const response = await exchange(await code(browser, who));
  expect(response.status).toBe(200);
  return (await response.json()) as { access_token: string; refresh_token: string };
}

function refresh(refreshToken: string): Promise<Response> {
  return tokenRequest({ grant_type: "refresh_token", refresh_token: refreshToken, resource: API });
}

/** The token endpoint's refusal: 400 and no token (`invalid_grant`, or the provider's `invalid_request` for a code whose session is gone). */
async function refused(response: Response): Promise<void> {
  const body = (await response.json()) as { error?: string; access_token?: string };
  expect(response.status).toBe(400);
  expect(["invalid_grant", "invalid_request"]).toContain(body.error);
  expect(body.access_token).toBeUndefined();
}

describe("a ban", () => {
  it("ends every grant: refresh tokens (the rotated one too), a code not yet exchanged, the sessions", async () => {
    const olga = await person("Olga");
    const browser = new Browser();
    const first = await tokens(browser, olga);
    const rotated = (await (await refresh(first.refresh_token)).json()) as { refresh_token: string };
    expect(rotated.refresh_token).toBeTruthy();
    const pending = await code(browser, olga);

    const ban = await admin.submit(`${sso.url}/admin/users/status`, { userId: olga.id, action: "disable" });
    expect(ban.status).toBe(303);

    await refused(await refresh(rotated.refresh_token));
    await refused(await refresh(first.refresh_token));
    await refused(await exchange(pending));
    // Her browser's SSO session is gone: the account page asks her to sign in.
    const account = await browser.fetch(`${sso.url}/account`);
    expect(account.headers.get("location")).toContain("/sign-in");
  });

  it("is refused at the token endpoint by every grant, even for a refresh token that escaped revocation", async () => {
    const bob = await person("Bob");
    const grant = await tokens(new Browser(), bob);
    // Banned behind the hooks' back (a direct database change): nothing revoked his refresh token.
    await sso.sso.database.db.update(schema.user).set({ banned: true }).where(eq(schema.user.id, bob.id));
    await refused(await refresh(grant.refresh_token));
    // Lifted: the same token works again (it was never revoked), so the refusal above was the ban's.
    await sso.sso.database.db.update(schema.user).set({ banned: false }).where(eq(schema.user.id, bob.id));
    expect((await refresh(grant.refresh_token)).status).toBe(200);
  });

  it("is published in the revocation feed, with the subject and the moment only", async () => {
    const mia = await person("Mia");
    const grant = await tokens(new Browser(), mia);
    const before = Math.floor(Date.now() / 1000);
    await admin.submit(`${sso.url}/admin/users/status`, { userId: mia.id, action: "disable" });
    const feed = await fetch(`${sso.url}/api/auth/revocations`);
    expect(feed.status).toBe(200);
    expect(feed.headers.get("cache-control")).toBe("no-store");
    const body = (await feed.json()) as {
      subjects: { sub: string; revoked_before: number }[];
      window_seconds: number;
    };
    const entry = body.subjects.find((subject) => subject.sub === mia.id);
    expect(entry).toBeDefined();
    expect(Object.keys(entry ?? {}).sort()).toEqual(["revoked_before", "sub"]);
    expect(entry?.revoked_before).toBeGreaterThanOrEqual(before);
    // Every token she had was issued before that moment.
    expect(decodeJwt(grant.access_token).iat).toBeLessThanOrEqual(entry?.revoked_before ?? 0);
    expect(body.window_seconds).toBe(16 * 60);
    expect(JSON.stringify(body)).not.toContain(mia.email);
  });
});

describe("a password change", () => {
  it("revokes the refresh tokens of every other session, signed out or not, and keeps the changing session's", async () => {
    const carol = await person("Carol");
    const laptop = new Browser();
    const phone = new Browser();
    const fromLaptop = await tokens(laptop, carol);
    expect((await laptop.submit(`${sso.url}/sign-out`, {})).status).toBe(303);
    const fromPhone = await tokens(phone, carol);
    const tablet = new Browser();
    const fromTablet = await tokens(tablet, carol);

    const changed = await phone.submit(`${sso.url}/account/password`, {
      currentPassword: PASSWORD,
      newPassword: "a brand new passphrase",
    });
    expect(changed.status).toBe(303);

    await refused(await refresh(fromLaptop.refresh_token));
    await refused(await refresh(fromTablet.refresh_token));
    expect((await refresh(fromPhone.refresh_token)).status).toBe(200);
  });

  it("by reset revokes every refresh token of the person", async () => {
    const dave = await person("Dave");
    const grant = await tokens(new Browser(), dave);
    const after = Date.now();
    expect((await new Browser().submit(`${sso.url}/forgot-password`, { email: dave.email })).status).toBe(
      200,
    );
    const mail = await mailboxMail(sso, dave.email, "password", { after });
    const link = await new Browser().follow(mail.link, sso.url);
    const token = new URL(link.url).searchParams.get("token") ?? "";
    const reset = await new Browser().submit(`${sso.url}/reset-password`, {
      token,
      password: "a reset passphrase",
    });
    expect(reset.status).toBe(303);
    await refused(await refresh(grant.refresh_token));
  });

  it("that is refused (wrong current password) revokes nothing", async () => {
    const erin = await person("Erin");
    const other = await tokens(new Browser(), erin);
    const browser = new Browser();
    await tokens(browser, erin);
    const wrong = await browser.submit(`${sso.url}/account/password`, {
      currentPassword: "not the password",
      newPassword: "another new passphrase",
    });
    expect(wrong.status).toBe(400);
    expect((await refresh(other.refresh_token)).status).toBe(200);
  });
});

describe("a deletion", () => {
  it("is published in the revocation feed", async () => {
    const finn = await person("Finn");
    const browser = new Browser();
    await tokens(browser, finn);
    expect((await browser.submit(`${sso.url}/account/delete`, { password: PASSWORD })).status).toBe(200);
    const body = (await (await fetch(`${sso.url}/api/auth/revocations`)).json()) as {
      subjects: { sub: string }[];
    };
    expect(body.subjects.map((subject) => subject.sub)).toContain(finn.id);
  });
});

describe("the feed's window", () => {
  it("leaves out subjects voided longer ago than an access token lives", async () => {
    await sso.sso.database.db.insert(subjectRevocation).values({
      subjectId: "voided-long-ago",
      revokedBefore: new Date(Date.now() - 17 * 60_000),
      reason: "banned",
    });
    const body = (await (await fetch(`${sso.url}/api/auth/revocations`)).json()) as {
      subjects: { sub: string }[];
    };
    expect(body.subjects.map((subject) => subject.sub)).not.toContain("voided-long-ago");
  });

  it("access tokens live 15 minutes", async () => {
    const gus = await person("Gus");
    const claims = decodeJwt((await tokens(new Browser(), gus)).access_token);
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(15 * 60);
  });
});
