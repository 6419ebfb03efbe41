import { cookies } from "next/headers";
import { NextResponse } from "next/server";
import { config } from "@/env";
import { oidcClient } from "@/lib/oidc";
import { clearSession, readSession } from "@/lib/session";
import { signOut } from "@/lib/sign-out";

export const dynamic = "force-dynamic";

/** Sign out: revoke the refresh token at the SSO, drop the session cookie, then end the SSO session too. */
export async function POST(request: Request) {
  const cfg = config();
  const origin = request.headers.get("origin");
  if (origin && origin !== new URL(cfg.publicUrl).origin) {
    return new NextResponse("cross-site sign-out refused", { status: 403 });
  }
  const session = await readSession();
  let target = new URL("/", cfg.publicUrl);
  try {
    const outcome = await signOut(await oidcClient(), cfg, session);
    target = outcome.target;
    if (!outcome.revoked) console.warn("sign-out: the SSO did not revoke the refresh token");
  } catch {
    // The SSO is unreachable: the local session still ends.
    console.warn("sign-out: the SSO cannot be reached; only the dashboard session ended");
  }
  const response = NextResponse.redirect(target, 303);
  clearSession(
    response,
    (await cookies()).getAll().map((c) => c.name),
  );
  return response;
}
