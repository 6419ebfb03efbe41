import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser, startTestSso, type TestSso } from "./helpers.ts";

// OAuth errors a browser is sent to landed on Better Auth's generic page, which links to better-auth.com.
// They land on ours: the SSO's look, what went wrong in plain words, what to do next, nothing from elsewhere.

let sso: TestSso;

beforeAll(async () => {
  sso = await startTestSso({ DASHBOARD_CLIENT_SECRET: "dashboard-secret-0123456789" });
});

afterAll(async () => {
  await sso?.close();
});

/** Every URL a page refers to (links, forms, stylesheets, images, icons). */
function references(page: string): string[] {
  return [...page.matchAll(/(?:href|src|action)="([^"]*)"/g)].map((match) => match[1] ?? "");
}

describe("the error page", () => {
  it("is where an authorization request with an unknown client ends, in our words", async () => {
    const authorize = `${sso.url}/api/auth/oauth2/authorize?response_type=code&client_id=no-such-client&redirect_uri=${encodeURIComponent("https://app.example/cb")}&code_challenge=x&code_challenge_method=S256`;
    const { response, url } = await new Browser().follow(authorize, sso.url);
    expect(new URL(url).pathname).toBe("/error");
    const page = await response.text();
    expect(response.status).toBe(400);
    expect(page).toContain("Sign-in could not continue");
    expect(page).toContain("What to do next");
    expect(page).not.toMatch(/better-auth/i);
    for (const reference of references(page)) expect(reference.startsWith("/"), reference).toBe(true);
  });

  it("says which kind of problem it was, and repeats no free text from the link", async () => {
    const response = await new Browser().fetch(
      `${sso.url}/error?error=invalid_redirect&error_description=${encodeURIComponent("Call +1 555 0100 to unlock your account")}`,
    );
    const page = await response.text();
    expect(page).toContain("not registered");
    expect(page).toContain("invalid_redirect");
    expect(page).not.toContain("555");
    const odd = await (
      await new Browser().fetch(`${sso.url}/error?error=%3Cscript%3Ealert(1)%3C%2Fscript%3E`)
    ).text();
    expect(odd).not.toContain("<script>");
    expect(odd).toContain("Something went wrong");
  });

  it("replaces Better Auth's own error page, which is no longer served", async () => {
    expect((await fetch(`${sso.url}/api/auth/error?error=x`)).status).toBe(404);
  });
});

describe("the favicon", () => {
  it("is named by every page and served from here", async () => {
    const page = await (await new Browser().fetch(`${sso.url}/sign-in`)).text();
    expect(page).toContain('<link rel="icon" href="/favicon.svg" type="image/svg+xml">');
    const icon = await fetch(`${sso.url}/favicon.svg`);
    expect(icon.status).toBe(200);
    expect(icon.headers.get("content-type")).toContain("image/svg+xml");
    const svg = await icon.text();
    expect(svg.startsWith("<svg")).toBe(true);
    // Nothing fetched from elsewhere: the only URL in it is the SVG namespace name.
    expect(svg.match(/https?:\/\/[^"]+/g)).toEqual(["http://www.w3.org/2000/svg"]);
  });

  it("answers /favicon.ico, where browsers look when a page names none", async () => {
    const ico = await fetch(`${sso.url}/favicon.ico`);
    expect(ico.url).toBe(`${sso.url}/favicon.svg`);
    expect(ico.status).toBe(200);
  });
});
