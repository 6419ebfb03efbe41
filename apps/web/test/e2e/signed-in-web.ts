// The built dashboard (`next start`) against the real API on its own database, and Chromium, for browser tests
// that need a signed-in person but not the SSO's sign-in (dashboard.e2e.test.ts covers that): the session is
// sealed as the dashboard seals it after a sign-in, with an access token the API trusts and the dashboard's scopes.
import { existsSync } from "node:fs";
import { freePort } from "@taskflow/db/testing";
import type { Browser, BrowserContext, BrowserContextOptions } from "playwright-core";
import { dashboardClientId, startTestApi, type TestApi } from "../../../api/test/support/test-api.ts";
import { type RunningWeb, startWeb } from "../../launch.ts";
import { scopes } from "../../src/lib/oidc.ts";
import { seal, splitChunks } from "../../src/lib/session-crypto.ts";
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
  stop(): Promise<void>;
}

export async function startSignedInWeb(): Promise<SignedInWeb> {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `Chromium is missing at ${chromiumPath}: install Debian's (apt-get install -y chromium).`,
    );
  }
  await ensureBuild();
  const api = await startTestApi();
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

  async function contextFor(person: Person, options: BrowserContextOptions = {}): Promise<BrowserContext> {
    const accessToken = await api.issuer.mint({
      sub: person.sub,
      orgId: person.orgId,
      orgRole: person.orgRole,
      azp: dashboardClientId,
      extra: { scope: scopes },
    });
    const sealed = await seal(
      {
        accessToken,
        expiresAt: Math.floor(Date.now() / 1000) + 3600,
        user: { sub: person.sub, name: person.name },
      },
      sessionSecret,
      "session",
      3600,
    );
    const context = await browser.newContext(options);
    await context.addCookies(
      splitChunks(sealed).map((value, index) => ({
        name: `tf_session.${index}`,
        value,
        url: web.url,
        httpOnly: true,
        sameSite: "Lax" as const,
      })),
    );
    return context;
  }

  return {
    api,
    web,
    browser,
    contextFor,
    stop: async () => {
      await browser.close();
      await web.stop();
      await api.close();
    },
  };
}
