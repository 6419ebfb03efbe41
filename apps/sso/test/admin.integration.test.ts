import { createHash, randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as schema from "../src/db/schema.ts";
import { Browser, startTestSso, type TestSso } from "./helpers.ts";

const ADMIN_EMAIL = "boss@example.test";
const ADMIN_PASSWORD = "the administrator passphrase";
const USER_PASSWORD = "an ordinary passphrase";

let sso: TestSso;
const admin = new Browser();
const user = new Browser();

beforeAll(async () => {
  sso = await startTestSso({
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    REQUIRE_EMAIL_VERIFICATION: "false",
    DASHBOARD_CLIENT_ID: "dashboard",
    DASHBOARD_CLIENT_SECRET: "dashboard-secret-0123456789",
    DASHBOARD_REDIRECT_URIS: "http://127.0.0.1:9/callback",
  });
  expect(
    (await admin.submit(`${sso.url}/sign-in`, { email: ADMIN_EMAIL, password: ADMIN_PASSWORD })).status,
  ).toBe(303);
  const signedUp = await user.submit(`${sso.url}/sign-up`, {
    name: "Olga",
    email: "olga@example.test",
    password: USER_PASSWORD,
  });
  // Without required verification, sign-up signs the person in.
  expect(signedUp.status).toBe(303);
  expect(signedUp.headers.get("location")).toBe("/account");
});

afterAll(async () => {
  await sso?.close();
});

async function userId(email: string): Promise<string> {
  const [row] = await sso.sso.database.db.select().from(schema.user).where(eq(schema.user.email, email));
  return row?.id ?? "";
}

describe("admin pages", () => {
  it("are closed to people who are not administrators", async () => {
    expect((await user.fetch(`${sso.url}/admin/users`)).status).toBe(403);
    expect(
      (await user.submit(`${sso.url}/admin/clients`, { name: "x", redirect_uris: "https://x.example/cb" }))
        .status,
    ).toBe(403);
    const anonymous = await new Browser().fetch(`${sso.url}/admin/users`);
    expect(anonymous.status).toBe(303);
  });

  it("list users, disable and re-enable one, and change roles", async () => {
    const list = await admin.fetch(`${sso.url}/admin/users`);
    expect(list.status).toBe(200);
    const page = await list.text();
    expect(page).toContain("olga@example.test");
    expect(page).toContain(ADMIN_EMAIL);

    const olga = await userId("olga@example.test");
    expect(
      (await admin.submit(`${sso.url}/admin/users/status`, { userId: olga, action: "disable" })).status,
    ).toBe(303);
    const refused = await new Browser().submit(`${sso.url}/sign-in`, {
      email: "olga@example.test",
      password: USER_PASSWORD,
    });
    expect(refused.status).not.toBe(303);
    expect(
      (await admin.submit(`${sso.url}/admin/users/status`, { userId: olga, action: "enable" })).status,
    ).toBe(303);
    const allowed = await new Browser().submit(`${sso.url}/sign-in`, {
      email: "olga@example.test",
      password: USER_PASSWORD,
    });
    expect(allowed.status).toBe(303);

    expect((await admin.submit(`${sso.url}/admin/users/role`, { userId: olga, role: "admin" })).status).toBe(
      303,
    );
    const [promoted] = await sso.sso.database.db.select().from(schema.user).where(eq(schema.user.id, olga));
    expect(promoted?.role).toBe("admin");
    await admin.submit(`${sso.url}/admin/users/role`, { userId: olga, role: "user" });
  });

  it("register a client with its secret shown once, edit its redirect URIs, delete it; seeded clients are protected", async () => {
    const created = await admin.submit(`${sso.url}/admin/clients`, {
      name: "Reporting",
      redirect_uris: "https://reports.example.test/callback",
      type: "confidential",
    });
    expect(created.status).toBe(200);
    const page = await created.text();
    const secret = page.match(/shown only this once: <code>([^<]+)<\/code>/)?.[1];
    const clientId = page.match(/Client <strong>([^<]+)<\/strong> registered/)?.[1];
    expect(secret).toBeTruthy();
    expect(clientId).toBeTruthy();
    const [stored] = await sso.sso.database.db
      .select()
      .from(schema.oauthClient)
      .where(eq(schema.oauthClient.clientId, clientId ?? ""));
    expect(stored?.clientSecret).toBeTruthy();
    expect(stored?.clientSecret).not.toBe(secret);
    expect((await (await admin.fetch(`${sso.url}/admin/clients`)).text()).includes(secret ?? "")).toBe(false);

    // It is immediately usable: an authorization request for the API goes to consent.
    const verifier = randomBytes(32).toString("base64url");
    const authorize = await admin.fetch(
      `${sso.url}/api/auth/oauth2/authorize?${new URLSearchParams({
        response_type: "code",
        client_id: clientId ?? "",
        redirect_uri: "https://reports.example.test/callback",
        scope: "openid taskflow:read",
        code_challenge: createHash("sha256").update(verifier).digest("base64url"),
        code_challenge_method: "S256",
        resource: "http://localhost:8000",
      })}`,
    );
    expect(authorize.status).toBe(302);
    expect(new URL(authorize.headers.get("location") ?? "").pathname).toBe("/consent");

    await admin.submit(`${sso.url}/admin/clients/redirects`, {
      clientId: clientId ?? "",
      redirect_uris: "https://reports.example.test/callback https://reports.example.test/other",
    });
    const [edited] = await sso.sso.database.db
      .select()
      .from(schema.oauthClient)
      .where(eq(schema.oauthClient.clientId, clientId ?? ""));
    expect(edited?.redirectUris).toEqual([
      "https://reports.example.test/callback",
      "https://reports.example.test/other",
    ]);

    const seeded = await admin.submit(`${sso.url}/admin/clients/delete`, { clientId: "dashboard" });
    expect(decodeURIComponent(seeded.headers.get("location") ?? "")).toContain("cannot be deleted");
    const deleted = await admin.submit(`${sso.url}/admin/clients/delete`, { clientId: clientId ?? "" });
    expect(decodeURIComponent(deleted.headers.get("location") ?? "")).toContain("Client deleted");
    const remaining = await sso.sso.database.db.select().from(schema.oauthClient);
    expect(remaining.map((client) => client.clientId)).toEqual(["dashboard"]);
  });

  it("list organizations", async () => {
    const page = await (await admin.fetch(`${sso.url}/admin/organizations`)).text();
    expect(page).toContain("Olga&#39;s workspace");
    expect(page).toContain("Administrator&#39;s workspace");
  });
});

describe("account page", () => {
  it("creates an organization owned by the person, and revokes another of their sessions", async () => {
    const olga = await userId("olga@example.test");
    // Disabling Olga earlier ended her sessions: sign in again.
    expect(
      (await user.submit(`${sso.url}/sign-in`, { email: "olga@example.test", password: USER_PASSWORD }))
        .status,
    ).toBe(303);
    const created = await user.submit(`${sso.url}/account/organizations`, { name: "Olga Labs" });
    expect(decodeURIComponent(created.headers.get("location") ?? "")).toContain("Organization created");
    const [org] = await sso.sso.database.db
      .select()
      .from(schema.organization)
      .where(eq(schema.organization.name, "Olga Labs"));
    const [membership] = await sso.sso.database.db
      .select()
      .from(schema.member)
      .where(eq(schema.member.organizationId, org?.id ?? ""));
    expect(membership).toMatchObject({ userId: olga, role: "owner" });

    const laptop = new Browser();
    expect(
      (await laptop.submit(`${sso.url}/sign-in`, { email: "olga@example.test", password: USER_PASSWORD }))
        .status,
    ).toBe(303);
    const page = await (await user.fetch(`${sso.url}/account`)).text();
    expect(page).toContain("Olga Labs");
    const tokens = [...page.matchAll(/name="token" value="([^"]+)"/g)].map((match) => match[1] ?? "");
    expect(tokens.length).toBeGreaterThanOrEqual(1);
    for (const token of tokens) {
      expect((await user.submit(`${sso.url}/account/sessions/revoke`, { token })).status).toBe(303);
    }
    const laptopSession = await laptop.fetch(`${sso.url}/api/auth/get-session`, {
      headers: { accept: "application/json" },
    });
    expect(await laptopSession.json()).toBeNull();
    const ownSession = await user.fetch(`${sso.url}/api/auth/get-session`, {
      headers: { accept: "application/json" },
    });
    expect(await ownSession.json()).not.toBeNull();
  });
});
