// Runs before every page and API proxy route: sets the security headers (a CSP with a fresh nonce, which Next.js
// puts on its scripts), and refreshes the access token on the server shortly before it expires, so server
// components always call the API with a valid token. The browser never sees a token.
import { type NextRequest, NextResponse } from "next/server";
import { config as webConfig } from "@/env";
import { oidcClient, refreshSession } from "@/lib/oidc";
import {
  isPageNavigation,
  missingTaskflowScopes,
  scopeUpgradeCookie,
  scopeUpgradeMaxAge,
} from "@/lib/scope-upgrade";
import { newNonce, securityHeaders } from "@/lib/security-headers";
import { cookieOptions, sessionCookie, sessionMaxAge } from "@/lib/session";
import { joinChunks, type Session, seal, splitChunks, unseal } from "@/lib/session-crypto";

export async function proxy(request: NextRequest) {
  const cfg = webConfig();
  const headers = securityHeaders({
    nonce: newNonce(),
    development: cfg.nodeEnv === "development",
    https: cfg.secureCookies,
    ssoOrigin: new URL(cfg.ssoIssuer).origin,
  });
  const csp = headers["Content-Security-Policy"] as string;
  const next = () => {
    // Next.js reads the nonce from the request's CSP header while rendering.
    const requestHeaders = new Headers(request.headers);
    requestHeaders.set("content-security-policy", csp);
    const response = NextResponse.next({ request: { headers: requestHeaders } });
    for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
    return response;
  };

  const names = request.cookies
    .getAll()
    .map((c) => c.name)
    .filter((name) => name.startsWith(`${sessionCookie}.`));
  if (names.length === 0) return next();
  const session = await unseal<Session>(
    joinChunks((name) => request.cookies.get(name)?.value, sessionCookie),
    cfg.sessionSecret,
    "session",
  );
  if (
    session &&
    isPageNavigation(request) &&
    !request.cookies.has(scopeUpgradeCookie) &&
    missingTaskflowScopes(session.accessToken).length > 0
  ) {
    const login = new URL("/api/auth/login", cfg.publicUrl);
    login.searchParams.set("returnTo", request.nextUrl.pathname + request.nextUrl.search);
    const response = NextResponse.redirect(login, 303);
    response.cookies.set(scopeUpgradeCookie, "1", cookieOptions(scopeUpgradeMaxAge));
    for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
    return response;
  }
  const now = Math.floor(Date.now() / 1000);
  if (session && session.expiresAt - 60 > now) return next();

  let sealed: string | undefined;
  if (session?.refreshToken) {
    try {
      sealed = await seal(
        await refreshSession(await oidcClient(), cfg, session),
        cfg.sessionSecret,
        "session",
        sessionMaxAge,
      );
    } catch {
      sealed = undefined;
    }
  }
  // Hand the new cookies to this request's server code and to the browser; drop the session when it is over.
  const chunks = sealed ? splitChunks(sealed) : [];
  for (const name of names) request.cookies.delete(name);
  chunks.forEach((chunk, index) => {
    request.cookies.set(`${sessionCookie}.${index}`, chunk);
  });
  const response = next();
  chunks.forEach((chunk, index) => {
    response.cookies.set(`${sessionCookie}.${index}`, chunk, cookieOptions(sessionMaxAge));
  });
  for (const name of names) {
    if (Number(name.slice(sessionCookie.length + 1)) >= chunks.length) {
      response.cookies.set(name, "", cookieOptions(0));
    }
  }
  return response;
}

export const config = {
  matcher: ["/((?!_next/|api/auth/|api/health|favicon.ico).*)"],
};
