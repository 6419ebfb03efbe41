import { SignJWT } from "jose";
import { NextRequest } from "next/server";
import { beforeAll, describe, expect, it } from "vitest";
import { type Session, seal } from "../src/lib/session-crypto.ts";

/**
 * A session whose grant predates a scope the dashboard now asks for (taskflow:manage) goes through
 * sign-in once more, on a page navigation only, and only once (no loop when the SSO still will not
 * grant it). The real proxy, with a real sealed session cookie.
 */

const secret = "a-session-secret-0123456789abcdefghijklmnop";
let proxy: typeof import("../src/proxy.ts").proxy;

beforeAll(async () => {
  process.env.DASHBOARD_CLIENT_SECRET = "a-dashboard-secret-0123456789";
  process.env.SESSION_SECRET = secret;
  process.env.PUBLIC_URL = "https://dash.example.com";
  ({ proxy } = await import("../src/proxy.ts"));
});

async function sessionCookie(scope: string): Promise<string> {
  const accessToken = await new SignJWT({ scope, org_id: "org", org_role: "owner" })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject("person")
    .setExpirationTime("15m")
    .sign(new TextEncoder().encode("not-checked-by-the-dashboard-0123456789"));
  const session: Session = {
    accessToken,
    refreshToken: "refresh",
    expiresAt: Math.floor(Date.now() / 1000) + 900,
    user: { sub: "person" },
  };
  return `tf_session.0=${await seal(session, secret, "session", 3600)}`;
}

const navigate = (cookie: string, path = "/projects/p1/settings?tab=members", mode = "navigate") =>
  new NextRequest(`https://dash.example.com${path}`, { headers: { cookie, "sec-fetch-mode": mode } });

describe("a session granted fewer scopes than the dashboard asks for", () => {
  it("is sent through sign-in again, back to the same page, and remembered so it never loops", async () => {
    const cookie = await sessionCookie("openid profile email offline_access taskflow:read taskflow:write");
    const response = await proxy(navigate(cookie));
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get("location") ?? "");
    expect(location.origin + location.pathname).toBe("https://dash.example.com/api/auth/login");
    expect(location.searchParams.get("returnTo")).toBe("/projects/p1/settings?tab=members");
    expect(response.cookies.get("tf_scope_upgrade")?.value).toBe("1");
    expect(response.headers.get("content-security-policy")).toBeTruthy();

    const again = await proxy(navigate(`${cookie}; tf_scope_upgrade=1`));
    expect(again.status).toBe(200);
  });

  it("is left alone outside page navigations (server actions, streams, prefetches)", async () => {
    const cookie = await sessionCookie("openid taskflow:read taskflow:write");
    expect((await proxy(navigate(cookie, "/projects", "cors"))).status).toBe(200);
    expect((await proxy(navigate(cookie, "/api/projects/p1/events"))).status).toBe(200);
  });

  it("is not touched when the grant has every TaskFlow scope", async () => {
    const cookie = await sessionCookie("openid taskflow:read taskflow:write taskflow:manage");
    expect((await proxy(navigate(cookie))).status).toBe(200);
  });
});
