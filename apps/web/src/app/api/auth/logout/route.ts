import { cookies } from "next/headers";
import { NextResponse } from "next/server";
import { config } from "@/env";
import { endSessionUrl, oidcClient } from "@/lib/oidc";
import { clearSession, readSession } from "@/lib/session";

export const dynamic = "force-dynamic";

/** Sign out: drop the session cookie, then end the SSO session too (RP-initiated logout). */
export async function POST(request: Request) {
  const cfg = config();
  const origin = request.headers.get("origin");
  if (origin && origin !== new URL(cfg.publicUrl).origin) {
    return new NextResponse("cross-site sign-out refused", { status: 403 });
  }
  const session = await readSession();
  let target = new URL("/", cfg.publicUrl);
  try {
    target = endSessionUrl(await oidcClient(), cfg, session?.idToken) ?? target;
  } catch {
    // The SSO is unreachable: the local session still ends.
  }
  const response = NextResponse.redirect(target, 303);
  clearSession(
    response,
    (await cookies()).getAll().map((c) => c.name),
  );
  return response;
}
