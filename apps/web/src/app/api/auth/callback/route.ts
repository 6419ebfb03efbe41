import { cookies } from "next/headers";
import { NextResponse } from "next/server";
import { config } from "@/env";
import { finishLogin, oidcClient } from "@/lib/oidc";
import { cookieOptions, loginCookie, writeSession } from "@/lib/session";
import { type PendingLogin, safeReturnTo, unseal } from "@/lib/session-crypto";
import { codeForOAuthError, type SignInErrorCode, signInErrorUrl } from "@/lib/signin-errors";

export const dynamic = "force-dynamic";

/** To the sign-in error page with a known code only (lib/signin-errors.ts); the details go to the log. */
function failed(cfg: ReturnType<typeof config>, code: SignInErrorCode, details?: string) {
  if (details) console.warn(`sign-in failed (${code}): ${details}`);
  const response = NextResponse.redirect(signInErrorUrl(cfg.publicUrl, code), 303);
  response.cookies.set(loginCookie, "", cookieOptions(0, "/api/auth"));
  return response;
}

/** The SSO's redirect back: checks state, PKCE and nonce, then keeps the tokens in the encrypted session. */
export async function GET(request: Request) {
  const cfg = config();
  const jar = await cookies();
  const pending = await unseal<PendingLogin>(jar.get(loginCookie)?.value, cfg.sessionSecret, "login");
  if (!pending) return failed(cfg, "expired");
  const incoming = new URL(request.url);
  // The URL as the browser saw it (behind a proxy request.url carries the internal host).
  const callbackUrl = new URL(`${cfg.redirectUri}${incoming.search}`);
  const error = callbackUrl.searchParams.get("error");
  if (error) {
    const description = callbackUrl.searchParams.get("error_description");
    return failed(cfg, codeForOAuthError(error), description ? `${error}: ${description}` : error);
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
    return failed(cfg, "failed", message);
  }
}
