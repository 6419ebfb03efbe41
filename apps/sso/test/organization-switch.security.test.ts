import { createHash, randomBytes, randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as schema from "../src/db/schema.ts";
import { Browser, hiddenInput, startTestSso, type TestSso } from "./helpers.ts";

// The one-click organization switch: the authorization endpoint's organization_id makes an organization the
// person belongs to the session's active one, and the tokens carry it; an organization they do not belong to
// never ends up in a token (the break-in attempts below). Userinfo lists the person's organizations for
// tokens granted the `organizations` scope, and only for those.
const API = "http://localhost:8000";
const DASHBOARD_ID = "dashboard";
const DASHBOARD_SECRET = "dashboard-secret-0123456789";
const DASHBOARD_REDIRECT = "http://127.0.0.1:9/api/auth/callback";
const DASHBOARD_SCOPES = "openid profile email offline_access taskflow:read taskflow:write organizations";
const PASSWORD = "a long enough passphrase";
// A third-party client (not trusted: it gets the consent page), declared the way operators declare extra clients.
const THIRD_PARTY = {
  id: "reporting-tool",
  secret: "reporting-tool-secret-0123456789",
  redirect: "http://127.0.0.1:9/reporting/callback",
};

let sso: TestSso;
const ada = { email: "ada@example.test", browser: new Browser(), personal: "", acme: "" };
const mallory = { email: "mallory@example.test", browser: new Browser(), personal: "" };

interface Tokens {
  access_token: string;
  refresh_token: string;
  claims: { org_id?: string; org_role?: string; scope?: string };
}

async function personalOrganization(email: string): Promise<string> {
  const [row] = await sso.sso.database.db
    .select({ id: schema.member.organizationId })
    .from(schema.member)
    .innerJoin(schema.user, eq(schema.member.userId, schema.user.id))
    .where(eq(schema.user.email, email));
  return row?.id ?? "";
}

async function signUpAndIn(person: { email: string; browser: Browser }, name: string): Promise<void> {
  expect(
    (await person.browser.submit(`${sso.url}/sign-up`, { name, email: person.email, password: PASSWORD })).ok,
  );
  const signedIn = await person.browser.submit(`${sso.url}/sign-in`, {
    email: person.email,
    password: PASSWORD,
  });
  expect(signedIn.status).toBe(303);
}

/** The organization the browser's SSO session has active (its session cookie is `<token>.<signature>`). */
async function activeOrganization(browser: Browser): Promise<string | null | undefined> {
  const cookies = [...(browser.jars.get("127.0.0.1") ?? [])];
  const value = cookies.find(([name]) => name.endsWith("session_token"))?.[1] ?? "";
  const sessionToken = decodeURIComponent(value).split(".")[0] ?? "";
  const rows = await sso.sso.database.db
    .select({ active: schema.session.activeOrganizationId })
    .from(schema.session)
    .where(eq(schema.session.token, sessionToken));
  expect(rows).toHaveLength(1);
  return rows[0]?.active;
}

function authorizeUrl(challenge: string, extra: [string, string][] = [], scope = DASHBOARD_SCOPES): URL {
  const query = new URLSearchParams({
    response_type: "code",
    client_id: DASHBOARD_ID,
    redirect_uri: DASHBOARD_REDIRECT,
    scope,
    code_challenge: challenge,
    code_challenge_method: "S256",
    state: "s1",
    nonce: "n1",
    resource: API,
  });
  for (const [key, value] of extra) query.append(key, value);
  return new URL(`${sso.url}/api/auth/oauth2/authorize?${query}`);
}

async function token(body: Record<string, string>): Promise<Tokens> {
  const response = await fetch(`${sso.url}/api/auth/oauth2/token`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      authorization: `Basic ${Buffer.from(`${DASHBOARD_ID}:${DASHBOARD_SECRET}`).toString("base64")}`,
    },
    body: new URLSearchParams({ ...body, resource: API }).toString(),
  });
  expect(response.status).toBe(200);
  const tokens = (await response.json()) as Omit<Tokens, "claims">;
  return { ...tokens, claims: decodeJwt(tokens.access_token) };
}

/** The trusted dashboard's silent authorization in this browser (signing in first when asked), exchanged. */
async function authorize(
  browser: Browser,
  extra: [string, string][] = [],
  options: { email?: string; scope?: string } = {},
): Promise<Tokens> {
  const verifier = randomBytes(32).toString("base64url");
  const challenge = createHash("sha256").update(verifier).digest("base64url");
  let step = await browser.follow(authorizeUrl(challenge, extra, options.scope), sso.url);
  if (new URL(step.url).pathname === "/sign-in") {
    const signedIn = await browser.submit(`${sso.url}/sign-in`, {
      email: options.email ?? "",
      password: PASSWORD,
      oauth_query: hiddenInput(await step.response.text(), "oauth_query") ?? "",
    });
    expect(signedIn.status).toBe(303);
    const next = new URL(signedIn.headers.get("location") ?? "", sso.url);
    step =
      next.origin === sso.url
        ? await browser.follow(next, sso.url)
        : { response: signedIn, url: next.toString() };
  }
  const back = new URL(step.url);
  expect(back.origin + back.pathname).toBe(DASHBOARD_REDIRECT);
  const code = back.searchParams.get("code");
  expect(code, back.toString()).toBeTruthy();
  return token({
    grant_type: "authorization_code",
    code: code ?? "",
    code_verifier: verifier,
    redirect_uri: DASHBOARD_REDIRECT,
  });
}

/** The third-party client's authorization in a signed-in browser: through the consent page, then exchanged. */
async function authorizeThirdParty(browser: Browser, extra: [string, string][]): Promise<Tokens["claims"]> {
  const verifier = randomBytes(32).toString("base64url");
  const query = new URLSearchParams({
    response_type: "code",
    client_id: THIRD_PARTY.id,
    redirect_uri: THIRD_PARTY.redirect,
    scope: "openid taskflow:read",
    code_challenge: createHash("sha256").update(verifier).digest("base64url"),
    code_challenge_method: "S256",
    state: "s2",
    resource: API,
  });
  for (const [key, value] of extra) query.append(key, value);
  const consent = await browser.follow(new URL(`${sso.url}/api/auth/oauth2/authorize?${query}`), sso.url);
  expect(new URL(consent.url).pathname).toBe("/consent");
  const accepted = await browser.submit(`${sso.url}/consent`, {
    accept: "yes",
    oauth_query: hiddenInput(await consent.response.text(), "oauth_query") ?? "",
  });
  expect(accepted.status).toBe(303);
  const code = new URL(accepted.headers.get("location") ?? "").searchParams.get("code");
  expect(code).toBeTruthy();
  const response = await fetch(`${sso.url}/api/auth/oauth2/token`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      authorization: `Basic ${Buffer.from(`${THIRD_PARTY.id}:${THIRD_PARTY.secret}`).toString("base64")}`,
    },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code: code ?? "",
      code_verifier: verifier,
      redirect_uri: THIRD_PARTY.redirect,
      resource: API,
    }).toString(),
  });
  expect(response.status).toBe(200);
  return decodeJwt(((await response.json()) as { access_token: string }).access_token);
}

async function userinfo(accessToken: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${sso.url}/api/auth/oauth2/userinfo`, {
    headers: { authorization: `Bearer ${accessToken}` },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

beforeAll(async () => {
  sso = await startTestSso(
    {
      API_AUDIENCE: API,
      REQUIRE_EMAIL_VERIFICATION: "false",
      DASHBOARD_CLIENT_ID: DASHBOARD_ID,
      DASHBOARD_CLIENT_SECRET: DASHBOARD_SECRET,
      DASHBOARD_REDIRECT_URIS: DASHBOARD_REDIRECT,
      EXTRA_OAUTH_CLIENTS: JSON.stringify([
        {
          client_id: THIRD_PARTY.id,
          client_secret: THIRD_PARTY.secret,
          client_name: "Reporting tool",
          redirect_uris: [THIRD_PARTY.redirect],
          token_endpoint_auth_method: "client_secret_basic",
          application_type: "native",
        },
      ]),
    },
    { rateLimit: { enabled: false } },
  );
  await signUpAndIn(ada, "Ada");
  await signUpAndIn(mallory, "Mallory");
  ada.personal = await personalOrganization(ada.email);
  mallory.personal = await personalOrganization(mallory.email);
  // Ada is also an admin of Acme (as an accepted invitation would make her).
  ada.acme = randomUUID();
  const db = sso.sso.database.db;
  await db
    .insert(schema.organization)
    .values({ id: ada.acme, name: "Acme", slug: "acme", createdAt: new Date() });
  const [adaUser] = await db
    .select({ id: schema.user.id })
    .from(schema.user)
    .where(eq(schema.user.email, ada.email));
  await db.insert(schema.member).values({
    id: randomUUID(),
    organizationId: ada.acme,
    userId: adaUser?.id ?? "",
    role: "admin",
    createdAt: new Date(),
  });
});

afterAll(async () => {
  await sso?.close();
});

describe("userinfo's organizations claim", () => {
  it("lists every organization of the person, with name and role, for the organizations scope", async () => {
    const tokens = await authorize(ada.browser);
    expect(tokens.claims.scope?.split(" ")).toContain("organizations");
    const info = await userinfo(tokens.access_token);
    expect(info.organizations).toEqual([
      { id: ada.personal, name: "Ada's workspace", role: "owner" },
      { id: ada.acme, name: "Acme", role: "admin" },
    ]);
  });

  it("is absent without the scope", async () => {
    const tokens = await authorize(ada.browser, [], { scope: "openid profile email taskflow:read" });
    const info = await userinfo(tokens.access_token);
    expect(info.email).toBe(ada.email);
    expect(info).not.toHaveProperty("organizations");
  });

  it("is advertised, and self-registered clients cannot ask for its scope", async () => {
    const discovery = (await (await fetch(`${sso.url}/.well-known/openid-configuration`)).json()) as {
      scopes_supported: string[];
      claims_supported: string[];
    };
    expect(discovery.scopes_supported).toContain("organizations");
    expect(discovery.claims_supported).toContain("organizations");
    const registered = await fetch(`${sso.url}/api/auth/oauth2/register`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        client_name: "Curious agent",
        redirect_uris: ["http://127.0.0.1:9/cb"],
        token_endpoint_auth_method: "none",
        scope: "openid organizations",
      }),
    });
    expect(registered.status).toBe(400);
    expect(((await registered.json()) as { error?: string }).error).toBe("invalid_scope");
  });
});

describe("organization_id at the authorization endpoint", () => {
  it("switches a member: the session's active organization and the tokens' org and role follow", async () => {
    const before = await authorize(ada.browser);
    expect(before.claims).toMatchObject({ org_id: ada.personal, org_role: "owner" });

    const switched = await authorize(ada.browser, [["organization_id", ada.acme]]);
    expect(switched.claims).toMatchObject({ org_id: ada.acme, org_role: "admin" });
    expect(await activeOrganization(ada.browser)).toBe(ada.acme);
    // The refresh keeps it, and so does the next authorization that names none (the session's).
    const refreshed = await token({ grant_type: "refresh_token", refresh_token: switched.refresh_token });
    expect(refreshed.claims).toMatchObject({ org_id: ada.acme, org_role: "admin" });
    expect((await authorize(ada.browser)).claims.org_id).toBe(ada.acme);

    // And back, in one step.
    const back = await authorize(ada.browser, [["organization_id", ada.personal]]);
    expect(back.claims).toMatchObject({ org_id: ada.personal, org_role: "owner" });
    expect(await activeOrganization(ada.browser)).toBe(ada.personal);
  });

  it("never yields an organization the person is not a member of", async () => {
    // Mallory names Ada's organizations: her token stays in her own, and so does her session.
    for (const target of [ada.personal, ada.acme]) {
      const tokens = await authorize(mallory.browser, [["organization_id", target]]);
      expect(tokens.claims).toMatchObject({ org_id: mallory.personal, org_role: "owner" });
      expect(await activeOrganization(mallory.browser)).toBe(mallory.personal);
      const info = await userinfo(tokens.access_token);
      expect(JSON.stringify(info)).not.toContain(target);
    }
    // Her own organization and Ada's, or a malformed id: ignored, never "the last one wins".
    for (const extra of [
      [
        ["organization_id", mallory.personal],
        ["organization_id", ada.acme],
      ],
      [
        ["organization_id", ada.acme],
        ["organization_id", mallory.personal],
      ],
      [["organization_id", `${ada.acme}' OR '1'='1`]],
      [["organization_id", ""]],
    ] as [string, string][][]) {
      const tokens = await authorize(mallory.browser, extra);
      expect(tokens.claims.org_id, JSON.stringify(extra)).toBe(mallory.personal);
    }
    // Nothing made her a member on the way.
    const memberships = await sso.sso.database.db
      .select({ organizationId: schema.member.organizationId })
      .from(schema.member)
      .innerJoin(schema.user, eq(schema.member.userId, schema.user.id))
      .where(eq(schema.user.email, mallory.email));
    expect(memberships).toEqual([{ organizationId: mallory.personal }]);
  });

  it("holds across the sign-in page: a member lands in the organization, a non-member in their own", async () => {
    const fresh = new Browser();
    const member = await authorize(fresh, [["organization_id", ada.acme]], { email: ada.email });
    expect(member.claims).toMatchObject({ org_id: ada.acme, org_role: "admin" });

    const intruder = await authorize(new Browser(), [["organization_id", ada.acme]], {
      email: mallory.email,
    });
    expect(intruder.claims).toMatchObject({ org_id: mallory.personal, org_role: "owner" });
  });
  it("is honoured for first-party clients only: a third-party client's link moves nothing", async () => {
    await authorize(ada.browser, [["organization_id", ada.personal]]);
    expect(await activeOrganization(ada.browser)).toBe(ada.personal);
    // Ada is a member of Acme, but the request comes from a third-party client: ignored.
    const claims = await authorizeThirdParty(ada.browser, [["organization_id", ada.acme]]);
    expect(claims).toMatchObject({ org_id: ada.personal, org_role: "owner" });
    expect(await activeOrganization(ada.browser)).toBe(ada.personal);
    expect((await authorize(ada.browser)).claims.org_id).toBe(ada.personal);
  });
});
