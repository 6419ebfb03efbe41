// A browser context signed in as someone: the session cookie the dashboard writes after a sign-in, sealed with
// the dashboard's session secret around an access token the test API trusts. For browser tests that start the
// dashboard against a test API (startTestApi) rather than the whole stack with its SSO.
import type { Browser, BrowserContext } from "playwright-core";
import { seal, splitChunks } from "../../src/lib/session-crypto.ts";

export async function signedInContext(
  browser: Browser,
  options: {
    webUrl: string;
    sessionSecret: string;
    token: string;
    sub: string;
    name: string;
    /** When the dashboard believes the token runs out (its proxy renews it a minute before); default: in an hour. */
    expiresAt?: number;
  },
  contextOptions: Parameters<Browser["newContext"]>[0] = {},
): Promise<BrowserContext> {
  const context = await browser.newContext(contextOptions);
  const sealed = await seal(
    {
      accessToken: options.token,
      expiresAt: options.expiresAt ?? Math.floor(Date.now() / 1000) + 3600,
      user: { sub: options.sub, name: options.name },
    },
    options.sessionSecret,
    "session",
    3600,
  );
  await context.addCookies(
    splitChunks(sealed).map((value, index) => ({
      name: `tf_session.${index}`,
      value,
      url: options.webUrl,
      httpOnly: true,
      sameSite: "Lax" as const,
    })),
  );
  return context;
}
