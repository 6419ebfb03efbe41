// The built dashboard (`next start`) against the real API on its own database, and Chromium, for browser tests
// that need a signed-in person but not the SSO's sign-in (dashboard.e2e.test.ts covers that): the session is
// sealed as the dashboard seals it after a sign-in, with an access token the API trusts and the dashboard's scopes.
import { existsSync } from "node:fs";
import { freePort } from "@taskflow/db/testing";
import type { Browser, BrowserContext, BrowserContextOptions } from "playwright-core";
import { dashboardClientId, startTestApi, type TestApi } from "../../../api/test/support/test-api.ts";
import { type RunningWeb, startWeb } from "../../launch.ts";
import { scopes } from "../../src/lib/oidc.ts";
import { signedInContext } from "./sealed-session.ts";
import { ensureBuild, launchChromium } from "./stack.ts";

const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const sessionSecret = "session-secret-for-the-signed-in-web-tests-0123456789";

export interface Person {
  sub: string;
  name: string;
  orgId: string;
  orgRole: "owner" | "admin" | "member";
}

export interface SignedInWeb {
  api: TestApi;
  web: RunningWeb;
  browser: Browser;
  /** A browser context where `person` is signed in (options: time zone, colour scheme, viewport…). */
  contextFor(person: Person, options?: BrowserContextOptions): Promise<BrowserContext>;
  /**
   * A browser context whose session holds this access token, as the dashboard seals it after a sign-in (for a
   * token a test made itself: short-lived, another client's, a personal token…).
   */
  contextForToken(
    token: string,
    user: { sub: string; name: string; expiresAt?: number },
    options?: BrowserContextOptions,
  ): Promise<BrowserContext>;
  /** Stops the browser and the dashboard, and the API unless it was handed in. */
  stop(): Promise<void>;
}

/** `api`: an API the caller started (and stops), e.g. the one under a test MCP server; else one is started. */
export async function startSignedInWeb(options: { api?: TestApi } = {}): Promise<SignedInWeb> {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `Chromium is missing at ${chromiumPath}: install Debian's (apt-get install -y chromium).`,
    );
  }
  await ensureBuild();
  const api = options.api ?? (await startTestApi());
  const port = await freePort();
  const web = await startWeb({
    port,
    host: "127.0.0.1",
    env: {
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      // Never reached: the session here is not refreshed and nobody signs in through it.
      SSO_ISSUER: api.issuer.issuer,
      API_URL: api.baseUrl,
      DASHBOARD_CLIENT_ID: dashboardClientId,
      DASHBOARD_CLIENT_SECRET: "dashboard-secret-for-the-signed-in-web-tests",
      SESSION_SECRET: sessionSecret,
      LOG_LEVEL: "warn",
    },
  });
  const browser = await launchChromium(chromiumPath);

  const contextForToken: SignedInWeb["contextForToken"] = (token, user, contextOptions = {}) =>
    signedInContext(browser, { webUrl: web.url, sessionSecret, token, ...user }, contextOptions);

  async function contextFor(
    person: Person,
    contextOptions: BrowserContextOptions = {},
  ): Promise<BrowserContext> {
    const accessToken = await api.issuer.mint({
      sub: person.sub,
      orgId: person.orgId,
      orgRole: person.orgRole,
      azp: dashboardClientId,
      extra: { scope: scopes },
    });
    return contextForToken(accessToken, { sub: person.sub, name: person.name }, contextOptions);
  }

  return {
    api,
    web,
    browser,
    contextFor,
    contextForToken,
    stop: async () => {
      await browser.close();
      await web.stop();
      if (!options.api) await api.close();
    },
  };
}
