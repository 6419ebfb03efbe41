import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as schema from "../src/db/schema.ts";
import { Browser, freePort, hiddenInput, startTestSso, type TestSso } from "./helpers.ts";

// Two SSOs: "upstream" plays a company's identity provider (on 127.0.0.2, so the browser keeps its
// cookies apart), "ours" lets people continue with it.
const UPSTREAM_EMAIL = "employee@company.example";
const UPSTREAM_PASSWORD = "company directory passphrase";
const CLIENT_ID = "taskflow-sso";
const CLIENT_SECRET = "taskflow-sso-secret-0123456789";

let upstream: TestSso;
let ours: TestSso;

beforeAll(async () => {
  const oursPort = await freePort();
  const upstreamPort = await freePort();
  const oursUrl = `http://127.0.0.1:${oursPort}`;
  upstream = await startTestSso({
    HOST: "127.0.0.2",
    PUBLIC_HOST: "127.0.0.2",
    PORT: String(upstreamPort),
    ADMIN_EMAIL: UPSTREAM_EMAIL,
    ADMIN_PASSWORD: UPSTREAM_PASSWORD,
    EXTRA_OAUTH_CLIENTS: JSON.stringify([
      {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        client_name: "TaskFlow",
        redirect_uris: [`${oursUrl}/api/auth/callback/upstream`],
        skip_consent: true,
      },
    ]),
  });
  ours = await startTestSso({
    PORT: String(oursPort),
    UPSTREAM_OIDC_ISSUER: upstream.url,
    UPSTREAM_OIDC_CLIENT_ID: CLIENT_ID,
    UPSTREAM_OIDC_CLIENT_SECRET: CLIENT_SECRET,
    UPSTREAM_OIDC_NAME: "Company login",
  });
});

afterAll(async () => {
  await ours?.close();
  await upstream?.close();
});

describe("sign-in with another OIDC provider", () => {
  it("offers the provider on the sign-in page and signs a new person in through it", async () => {
    const browser = new Browser();
    const signInPage = await (await browser.fetch(`${ours.url}/sign-in`)).text();
    expect(signInPage).toContain("Continue with Company login");

    const started = await browser.submit(`${ours.url}/sign-in/upstream`, { callbackURL: "/account" });
    expect(started.status).toBe(303);
    const atUpstream = await browser.follow(started.headers.get("location") ?? "", upstream.url);
    expect(new URL(atUpstream.url).pathname).toBe("/sign-in");
    const upstreamSignedIn = await browser.submit(`${upstream.url}/sign-in`, {
      email: UPSTREAM_EMAIL,
      password: UPSTREAM_PASSWORD,
      oauth_query: hiddenInput(await atUpstream.response.text(), "oauth_query") ?? "",
    });
    expect(upstreamSignedIn.status).toBe(303);
    const back = await browser.follow(upstreamSignedIn.headers.get("location") ?? "", [
      upstream.url,
      ours.url,
    ]);
    expect(back.url).toBe(`${ours.url}/account`);
    expect(back.response.status).toBe(200);

    const session = (await (
      await browser.fetch(`${ours.url}/api/auth/get-session`, { headers: { accept: "application/json" } })
    ).json()) as { user: { id: string; email: string } } | null;
    expect(session?.user.email).toBe(UPSTREAM_EMAIL);
    const accounts = await ours.sso.database.db
      .select()
      .from(schema.account)
      .where(eq(schema.account.userId, session?.user.id ?? ""));
    expect(accounts.map((account) => account.providerId)).toEqual(["upstream"]);
    // A person who arrives through the upstream provider gets a personal organization too.
    const memberships = await ours.sso.database.db
      .select()
      .from(schema.member)
      .where(eq(schema.member.userId, session?.user.id ?? ""));
    expect(memberships.map((member) => member.role)).toEqual(["owner"]);
  });
});
