import { cookies } from "next/headers";
import { NextResponse } from "next/server";
import { config } from "@/env";
import { finishLogin, oidcClient } from "@/lib/oidc";
import { cookieOptions, loginCookie, writeSession } from "@/lib/session";
import { type PendingLogin, safeReturnTo, unseal } from "@/lib/session-crypto";

export const dynamic = "force-dynamic";

function failed(cfg: ReturnType<typeof config>, reason: string) {
  const url = new URL("/signin-error", cfg.publicUrl);
  url.searchParams.set("reason", reason);
  const response = NextResponse.redirect(url, 303);
  response.cookies.set(loginCookie, "", cookieOptions(0, "/api/auth"));
  return response;
}

/** The SSO's redirect back: checks state, PKCE and nonce, then keeps the tokens in the encrypted session. */
export async function GET(request: Request) {
  const cfg = config();
  const jar = await cookies();
  const pending = await unseal<PendingLogin>(jar.get(loginCookie)?.value, cfg.sessionSecret, "login");
  if (!pending) return failed(cfg, "The sign-in took too long or was started elsewhere. Sign in again.");
  const incoming = new URL(request.url);
  // The URL as the browser saw it (behind a proxy request.url carries the internal host).
  const callbackUrl = new URL(`${cfg.redirectUri}${incoming.search}`);
  const error = callbackUrl.searchParams.get("error");
  if (error) {
    return failed(cfg, callbackUrl.searchParams.get("error_description") ?? error);
  }
  try {
    const session = await finishLogin(await oidcClient(), cfg, callbackUrl, pending);
    // Checked again where it is used: a login started before this check could carry anything.
    const returnTo = safeReturnTo(pending.returnTo, cfg.publicUrl);
    const response = NextResponse.redirect(new URL(returnTo, cfg.publicUrl), 303);
    response.cookies.set(loginCookie, "", cookieOptions(0, "/api/auth"));
    await writeSession(
      response.cookies,
      session,
      jar.getAll().map((c) => c.name),
    );
    return response;
  } catch (caught) {
    const message = caught instanceof Error ? caught.message : String(caught);
    return failed(cfg, `The sign-in could not be completed (${message}). Sign in again.`);
  }
}
