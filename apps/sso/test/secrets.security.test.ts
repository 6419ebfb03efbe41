import { createHash, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createLogger } from "../src/logger.ts";
import { Browser, hiddenInput, mailboxMail, startTestSso, type TestSso } from "./helpers.ts";

// Runs the flows that handle secrets with known values — sign-up, confirmation, sign-in (right and
// wrong), a password reset, a password change, an OIDC authorization-code flow with a client secret,
// refresh-token rotation and reuse, revocation, and refused requests of every kind — logging at debug
// level, and then searches every SSO log line (and anything else written to the console meanwhile)
// for them.
const BETTER_AUTH_SECRET = "known-better-auth-secret-4f1d0c9e8b7a6d5c4b3a";
const CLIENT_ID = "secrets-rp";
const CLIENT_SECRET = "known-client-secret-9a8b7c6d5e4f3a2b";
const REDIRECT = "http://127.0.0.1:9/callback";
const API = "http://localhost:8000";
const EMAIL = "keeper@example.test";

describe("secrets never reach a log line", () => {
  const lines: string[] = [];
  const consoleOutput: string[] = [];
  const secrets = new Map<string, string>();
  let sso: TestSso;

  beforeAll(async () => {
    for (const method of ["log", "info", "warn", "error", "debug"] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        consoleOutput.push(args.map(String).join(" "));
      });
    }
    sso = await startTestSso(
      {
        LOG_LEVEL: "debug",
        BETTER_AUTH_SECRET,
        API_AUDIENCE: API,
        EXTRA_OAUTH_CLIENTS: JSON.stringify([
          {
            client_id: CLIENT_ID,
            client_secret: CLIENT_SECRET,
            redirect_uris: [REDIRECT],
            skip_consent: true,
          },
        ]),
      },
      {
        rateLimit: { enabled: false },
        logger: createLogger("debug", { write: (line: string) => lines.push(line.trimEnd()) }),
      },
    );
  });

  afterAll(async () => {
    await sso?.close();
    vi.restoreAllMocks();
  });

  it("runs the flows, then finds no password, key, code or token in any log line", async () => {
    secrets.set("BETTER_AUTH_SECRET", BETTER_AUTH_SECRET);
    secrets.set("client secret", CLIENT_SECRET);
    const firstPassword = "first known passphrase 7d3f";
    const wrongPassword = "a wrong guess at the passphrase 2c4e";
    const secondPassword = "second known passphrase 8e1a";
    const thirdPassword = "third known passphrase 5b9c";
    secrets.set("first password", firstPassword);
    secrets.set("wrong password", wrongPassword);
    secrets.set("reset password", secondPassword);
    secrets.set("changed password", thirdPassword);

    // Sign-up (and a second one for the same address), confirmation by the mailed link.
    const signUp = await new Browser().submit(`${sso.url}/sign-up`, {
      name: "Keeper",
      email: EMAIL,
      username: "keeper",
      password: firstPassword,
    });
    expect(signUp.status).toBe(200);
    await new Browser().submit(`${sso.url}/sign-up`, {
      name: "Again",
      email: EMAIL,
      password: wrongPassword,
    });
    const confirm = await mailboxMail(sso, EMAIL, "confirm");
    secrets.set("verification token", new URL(confirm.link).searchParams.get("token") ?? "");
    await new Browser().follow(confirm.link, sso.url);

    // Sign-in: wrong password, unknown address, the handle, the form and the API.
    expect(
      (await new Browser().submit(`${sso.url}/sign-in`, { email: EMAIL, password: wrongPassword })).status,
    ).toBe(401);
    await new Browser().submit(`${sso.url}/sign-in`, {
      email: "nobody@example.test",
      password: wrongPassword,
    });
    await new Browser().submit(`${sso.url}/sign-in`, { email: "keeper", password: wrongPassword });
    const browser = new Browser();
    expect(
      (await browser.submit(`${sso.url}/sign-in`, { email: EMAIL, password: firstPassword })).status,
    ).toBe(303);
    const api = await fetch(`${sso.url}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: sso.url },
      body: JSON.stringify({ email: EMAIL, password: firstPassword }),
    });
    expect(api.status).toBe(200);
    secrets.set("session token", ((await api.json()) as { token: string }).token);
    for (const [name, value] of browser.jars.get("127.0.0.1") ?? []) secrets.set(`cookie ${name}`, value);

    // Password reset: the link (its token travels in the URL path), a refused password, the reset, a reuse.
    await new Browser().submit(`${sso.url}/forgot-password`, { email: EMAIL });
    const reset = await mailboxMail(sso, EMAIL, "reset");
    const resetBrowser = new Browser();
    const form = await resetBrowser.follow(reset.link, sso.url);
    const resetToken = new URL(form.url).searchParams.get("token") ?? "";
    expect(resetToken).not.toBe("");
    secrets.set("reset token", resetToken);
    await resetBrowser.submit(`${sso.url}/reset-password`, { token: resetToken, password: `${EMAIL} x` });
    expect(
      (
        await resetBrowser.submit(`${sso.url}/reset-password`, {
          token: resetToken,
          password: secondPassword,
        })
      ).status,
    ).toBe(303);
    await resetBrowser.submit(`${sso.url}/reset-password`, { token: resetToken, password: wrongPassword });

    // Change password, signed in; first with a wrong current password.
    const signedIn = new Browser();
    expect(
      (await signedIn.submit(`${sso.url}/sign-in`, { email: EMAIL, password: secondPassword })).status,
    ).toBe(303);
    await signedIn.submit(`${sso.url}/account/password`, {
      currentPassword: wrongPassword,
      newPassword: thirdPassword,
    });
    expect(
      (
        await signedIn.submit(`${sso.url}/account/password`, {
          currentPassword: secondPassword,
          newPassword: thirdPassword,
        })
      ).status,
    ).toBe(303);

    // OIDC: authorize (signing in on the way), code, tokens, refresh, reuse, wrong secret, revocation.
    const verifier = randomBytes(32).toString("base64url");
    secrets.set("PKCE verifier", verifier);
    const oidc = new Browser();
    const start = await oidc.follow(
      `${sso.url}/api/auth/oauth2/authorize?${new URLSearchParams({
        response_type: "code",
        client_id: CLIENT_ID,
        redirect_uri: REDIRECT,
        scope: "openid profile email offline_access taskflow:read",
        code_challenge: createHash("sha256").update(verifier).digest("base64url"),
        code_challenge_method: "S256",
        state: "known-state",
        resource: API,
      })}`,
      sso.url,
    );
    const oauthQuery = hiddenInput(await start.response.text(), "oauth_query") ?? "";
    const login = await oidc.submit(`${sso.url}/sign-in`, {
      email: "keeper",
      password: thirdPassword,
      oauth_query: oauthQuery,
    });
    const location = new URL(login.headers.get("location") ?? "", sso.url);
    const back = location.origin === sso.url ? new URL((await oidc.follow(location, sso.url)).url) : location;
    const code = back.searchParams.get("code") ?? "";
    expect(code).not.toBe("");
    secrets.set("authorization code", code);

    const basic = (secret: string) => `Basic ${Buffer.from(`${CLIENT_ID}:${secret}`).toString("base64")}`;
    const token = (body: Record<string, string>, secret = CLIENT_SECRET) =>
      fetch(`${sso.url}/api/auth/oauth2/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", authorization: basic(secret) },
        body: new URLSearchParams(body).toString(),
      });
    const wrongSecret = "a-guessed-client-secret-0000";
    secrets.set("guessed client secret", wrongSecret);
    const exchange = {
      grant_type: "authorization_code",
      code,
      code_verifier: verifier,
      redirect_uri: REDIRECT,
      resource: API,
    };
    const issued = await token(exchange);
    expect(issued.status).toBe(200);
    const tokens = (await issued.json()) as { access_token: string; refresh_token: string; id_token: string };
    secrets.set("access token", tokens.access_token);
    secrets.set("refresh token", tokens.refresh_token);
    secrets.set("id token", tokens.id_token);
    const userinfo = await fetch(`${sso.url}/api/auth/oauth2/userinfo`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(userinfo.status).toBe(200);
    // A guessed client secret is refused (on the code exchange it would also burn the code).
    const guessed = await token(
      { grant_type: "refresh_token", refresh_token: tokens.refresh_token },
      wrongSecret,
    );
    expect(guessed.status).toBe(401);
    const refreshed = await token({
      grant_type: "refresh_token",
      refresh_token: tokens.refresh_token,
      resource: API,
    });
    expect(refreshed.status).toBe(200);
    const rotated = (await refreshed.json()) as { access_token: string; refresh_token: string };
    secrets.set("rotated access token", rotated.access_token);
    secrets.set("rotated refresh token", rotated.refresh_token);
    // Reusing the old refresh token is refused (and revokes the family).
    expect((await token({ grant_type: "refresh_token", refresh_token: tokens.refresh_token })).status).toBe(
      400,
    );
    // The code is single-use (a replay also revokes what it issued).
    expect((await token(exchange)).status).toBe(400);
    await fetch(`${sso.url}/api/auth/oauth2/revoke`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: basic(CLIENT_SECRET) },
      body: new URLSearchParams({ token: rotated.refresh_token }).toString(),
    });
    const forged = `${tokens.access_token.slice(0, -8)}AAAAAAAA`;
    secrets.set("forged access token", forged);
    // (@better-auth/oauth-provider 1.7.5 would answer it 500 and log the error; we answer 401, logged as a refusal.)
    const refused = await fetch(`${sso.url}/api/auth/oauth2/userinfo`, {
      headers: { authorization: `Bearer ${forged}` },
    });
    expect(refused.status).toBe(401);

    // Give async logging (background mail, hooks) a moment, then search.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(lines.length).toBeGreaterThan(25);
    for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow();
    expect(lines.some((line) => line.includes('"msg":"request"'))).toBe(true);
    expect(lines.some((line) => line.includes('"path":"/api/auth/reset-password/[redacted]"'))).toBe(true);
    expect(lines.some((line) => line.includes('"msg":"refused"'))).toBe(true);
    expect(lines.some((line) => line.includes('"reason":"access token did not verify"'))).toBe(true);
    // Personal data too: Better Auth's "Sign-up attempt for existing email: <address>" (info) keeps no address.
    expect(lines.some((line) => line.includes("Sign-up attempt for existing email: [redacted email]"))).toBe(
      true,
    );
    expect(
      lines.filter((line) => line.toLowerCase().includes(EMAIL)),
      "the email address in a log line",
    ).toEqual([]);
    expect(consoleOutput.filter((line) => line.toLowerCase().includes(EMAIL))).toEqual([]);
    expect(secrets.size).toBeGreaterThanOrEqual(18);
    for (const [what, secret] of secrets) {
      expect(secret.length, what).toBeGreaterThanOrEqual(8);
      expect(
        lines.filter((line) => line.includes(secret)),
        `${what} in a log line`,
      ).toEqual([]);
      expect(
        consoleOutput.filter((line) => line.includes(secret)),
        `${what} on the console`,
      ).toEqual([]);
    }
  });
});
