import { NextResponse } from "next/server";
import { config } from "@/env";
import { oidcClient } from "@/lib/oidc";
import { problemResponse } from "@/lib/problem-response";
import { cookieOptions, loginCookie, readSession } from "@/lib/session";
import { seal } from "@/lib/session-crypto";
import { organizationIdPattern, switchOrganization } from "@/lib/switch-organization";

export const dynamic = "force-dynamic";

/**
 * The organization page's "Switch to …" buttons: revoke the current refresh token and authorize again, naming
 * the organization chosen (the SSO makes it active when the person belongs to it); the callback keeps the new
 * tokens, which carry the organization. Without one ("Load my organizations") it only authorizes again.
 */
export async function POST(request: Request) {
  const cfg = config();
  const origin = request.headers.get("origin");
  if (origin && origin !== new URL(cfg.publicUrl).origin) {
    return problemResponse(
      403,
      "Forbidden",
      "A switch of organization must come from the dashboard's own pages.",
    );
  }
  const form = await request.formData().catch(() => new FormData());
  const chosen = form.get("organizationId");
  const organizationId = typeof chosen === "string" && chosen !== "" ? chosen : undefined;
  if (organizationId !== undefined && !organizationIdPattern.test(organizationId)) {
    return problemResponse(400, "Bad Request", "organizationId is not an organization id.");
  }
  let client: Awaited<ReturnType<typeof oidcClient>>;
  try {
    client = await oidcClient();
  } catch (error) {
    return new NextResponse(
      `The sign-in service (${cfg.ssoInternalUrl}) cannot be reached: ${error instanceof Error ? error.message : String(error)}. Try again in a moment.`,
      { status: 503, headers: { "content-type": "text/plain; charset=utf-8" } },
    );
  }
  const { url, pending } = await switchOrganization(client, cfg, await readSession(), organizationId);
  const response = NextResponse.redirect(url, 303);
  response.cookies.set(
    loginCookie,
    await seal(pending, cfg.sessionSecret, "login", 600),
    cookieOptions(600, "/api/auth"),
  );
  return response;
}
