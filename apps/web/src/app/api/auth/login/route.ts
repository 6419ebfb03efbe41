import { NextResponse } from "next/server";
import { config } from "@/env";
import { oidcClient, startLogin } from "@/lib/oidc";
import { cookieOptions, loginCookie } from "@/lib/session";
import { safeReturnTo, seal } from "@/lib/session-crypto";

export const dynamic = "force-dynamic";

/** Starts the authorization code flow: PKCE verifier, state and nonce sealed in a short-lived cookie. */
export async function GET(request: Request) {
  const cfg = config();
  const returnTo = safeReturnTo(new URL(request.url).searchParams.get("returnTo"), cfg.publicUrl);
  let client: Awaited<ReturnType<typeof oidcClient>>;
  try {
    client = await oidcClient();
  } catch (error) {
    return new NextResponse(
      `The sign-in service (${cfg.ssoInternalUrl}) cannot be reached: ${error instanceof Error ? error.message : String(error)}. Try again in a moment.`,
      { status: 503, headers: { "content-type": "text/plain; charset=utf-8" } },
    );
  }
  const { url, pending } = await startLogin(client, cfg, returnTo);
  const response = NextResponse.redirect(url, 303);
  response.cookies.set(
    loginCookie,
    await seal(pending, cfg.sessionSecret, "login", 600),
    cookieOptions(600, "/api/auth"),
  );
  return response;
}
