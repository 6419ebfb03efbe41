// A new person, as the browser tests meet one: signs up from the dashboard's sign-in (the mail confirmed over
// the stack's SMTP) and signs in. Shared by the e2e files that start the whole system with startStack().
import { randomUUID } from "node:crypto";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { joinChunks, type Session, unseal } from "../../src/lib/session-crypto.ts";
import { sessionSecret, type startStack } from "./stack.ts";

type Stack = Awaited<ReturnType<typeof startStack>>;

export const password = "correct horse battery staple";

/** Signs a new person up and in; returns where they landed. */
export async function signUpAndIn(
  stack: Stack,
  browser: Browser,
  name: string,
): Promise<{ context: BrowserContext; page: Page; landed: string }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  const email = `${name.toLowerCase()}-${randomUUID()}@example.com`;
  await page.goto(`${stack.webUrl}/`);
  await page.getByRole("main").getByRole("link", { name: "Sign in" }).click();
  await page.waitForURL(`${stack.ssoUrl}/sign-in**`);
  await page.getByRole("link", { name: "Create an account" }).click();
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.getByText("Check your inbox").waitFor();
  const mail = await stack.smtp.waitFor(email);
  const link = mail.text.match(/https?:\/\/[^\s"'<>]+/g)?.find((url) => url.includes("verify"));
  if (!link) throw new Error(`no verification link in:\n${mail.text}`);
  await page.goto(link);
  await page.waitForURL(`${stack.ssoUrl}/sign-in**`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => url.origin === stack.webUrl && !url.pathname.startsWith("/api/"));
  await page.getByRole("navigation", { name: "Main" }).getByText(name).waitFor();
  return { context, page, landed: new URL(page.url()).pathname };
}

/** The person's access token, read from their session cookie (the stack's session secret is known here). */
export async function accessTokenOf(stack: Stack, context: BrowserContext): Promise<string> {
  const cookies = await context.cookies(stack.webUrl);
  const sealed = joinChunks((name) => cookies.find((c) => c.name === name)?.value, "tf_session");
  const session = await unseal<Session>(sealed, sessionSecret, "session");
  if (!session) throw new Error("could not read the session cookie");
  return session.accessToken;
}
