// `returnTo=/%09/evil.example` on the dashboard's login ended at http://evil.example after sign-in: the check
// looked at the string (starts with "/", not "//" nor "/\") and the browser, which drops the tab, read
// "//evil.example". The dashboard's real login route runs here against a real SSO, for every entry of the
// corpus of known bypasses the SSO's tests use too: the returnTo it seals for the callback, and the place the
// callback then sends the browser, stay on the dashboard's origin.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestSso, type TestSso } from "../../sso/test/helpers.ts";
import { loginCookie } from "../src/lib/session.ts";
import { type PendingLogin, safeReturnTo, unseal } from "../src/lib/session-crypto.ts";

interface Entry {
  value: string;
  why: string;
}
const corpus = JSON.parse(
  readFileSync(new URL("../../sso/test/fixtures/open-redirect-bypasses.json", import.meta.url), "utf8"),
) as { bypasses: Entry[]; kept: { value: string; path: string }[] };

const dashboard = "http://127.0.0.1:9";
const sessionSecret = "a-session-secret-for-return-to-0123456789abcdef";
let sso: TestSso;
let login: (request: Request) => Promise<Response>;

beforeAll(async () => {
  const dashboardSecret = "dashboard-secret-for-return-to-0123";
  sso = await startTestSso({
    DASHBOARD_CLIENT_SECRET: dashboardSecret,
    DASHBOARD_REDIRECT_URIS: `${dashboard}/api/auth/callback`,
  });
  // The route reads its configuration from the environment once, as under `next start`.
  Object.assign(process.env, {
    SSO_ISSUER: sso.url,
    PUBLIC_URL: dashboard,
    API_URL: "http://127.0.0.1:8",
    DASHBOARD_CLIENT_SECRET: dashboardSecret,
    SESSION_SECRET: sessionSecret,
  });
  ({ GET: login } = await import("../src/app/api/auth/login/route.ts"));
}, 120_000);

afterAll(async () => {
  await sso?.close();
});

const linked = (value: string) =>
  value.replaceAll("{origin}", dashboard).replaceAll("{host}", new URL(dashboard).host);

/** What the login route seals for the callback, for `returnTo` as written in the link. */
async function sealedReturnTo(value: string): Promise<string> {
  const response = await login(new Request(`${dashboard}/api/auth/login?returnTo=${linked(value)}`));
  expect(response.status).toBe(303);
  const cookie = response.headers
    .getSetCookie()
    .find((line) => line.startsWith(`${loginCookie}=`))
    ?.split(";")[0]
    ?.slice(loginCookie.length + 1);
  const pending = await unseal<PendingLogin>(cookie, sessionSecret, "login");
  if (!pending) throw new Error("the login route sealed no pending login");
  return pending.returnTo;
}

describe.each(corpus.bypasses)("returnTo=$value ($why)", ({ value }) => {
  it("is sealed as a path of the dashboard, and the callback's destination stays on the dashboard", async () => {
    const returnTo = await sealedReturnTo(value);
    expect(new URL(returnTo, dashboard).origin).toBe(dashboard);
    // The callback checks again and redirects to new URL(returnTo, PUBLIC_URL): the browser's reading.
    const destination = new URL(safeReturnTo(returnTo, dashboard), dashboard);
    expect(destination.origin).toBe(dashboard);
    expect(destination.protocol).toBe("http:");
  });
});

describe("the dashboard's own pages", () => {
  it.each(corpus.kept)("keeps returnTo=$value", async ({ value, path }) => {
    expect(await sealedReturnTo(value)).toBe(path);
  });

  it("a pending login sealed before this check is checked again at the callback", () => {
    expect(safeReturnTo("/\t/evil.example", dashboard)).toBe("/");
  });
});
