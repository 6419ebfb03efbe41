import type { HttpBindings } from "@hono/node-server";
import type { Context } from "hono";
import { AUTH_BASE_PATH, CLIENT_IP_HEADER, type SsoAuth, type SsoDatabase } from "../auth.ts";
import type { SsoConfig } from "../env.ts";
import { localRedirect } from "../http/redirect-target.ts";
import type { Mailer } from "../mail/mailer.ts";

export type AppEnv = {
  Bindings: Partial<HttpBindings>;
  /** clientIp: the client as far as we can tell (TRUST_PROXY); peerIp: the socket's peer, if any. */
  Variables: { clientIp: string; peerIp: string | undefined };
};
export type AppContext = Context<AppEnv>;

/** What every route needs: built once in app.ts. */
export interface Services {
  config: SsoConfig;
  auth: SsoAuth;
  db: SsoDatabase;
  mailer: Mailer;
  trustedOrigins: Set<string>;
}

/**
 * Calls a Better Auth endpoint through its HTTP handler (so rate limits, hooks and the OAuth
 * continuation all apply) on behalf of the browser that posted one of our forms.
 */
export async function callAuth(
  services: Services,
  c: AppContext,
  path: string,
  options: {
    method?: "GET" | "POST";
    body?: Record<string, unknown>;
    query?: Record<string, string>;
    /** Leave the browser's session out (a request on behalf of an address, not of the signed-in person). */
    withoutSession?: boolean;
  } = {},
): Promise<Response> {
  const url = new URL(`${services.config.baseUrl}${AUTH_BASE_PATH}${path}`);
  for (const [key, value] of Object.entries(options.query ?? {})) url.searchParams.set(key, value);
  const headers = new Headers({
    accept: "application/json",
    origin: services.config.baseUrl,
    [CLIENT_IP_HEADER]: c.get("clientIp"),
  });
  const cookie = c.req.header("cookie");
  if (cookie && !options.withoutSession) headers.set("cookie", cookie);
  const userAgent = c.req.header("user-agent");
  if (userAgent) headers.set("user-agent", userAgent);
  const method = options.method ?? (options.body ? "POST" : "GET");
  if (method === "POST") headers.set("content-type", "application/json");
  return services.auth.handler(
    new Request(url, {
      method,
      headers,
      ...(method === "POST" ? { body: JSON.stringify(options.body ?? {}) } : {}),
    }),
  );
}

/** Copies Better Auth's Set-Cookie headers onto our response. */
export function forwardCookies(from: Response, c: AppContext): void {
  for (const cookie of from.headers.getSetCookie()) c.header("set-cookie", cookie, { append: true });
}

export async function readJson(response: Response): Promise<Record<string, unknown>> {
  const text = await response.text();
  if (!text) return {};
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === "object" ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export async function currentSession(services: Services, c: AppContext) {
  return services.auth.api.getSession({ headers: c.req.raw.headers });
}

/** Where our pages send the browser after sign-in: a path on the SSO itself (http/redirect-target.ts), or `fallback`. */
export function safeLocalPath(services: Services, value: unknown, fallback = "/account"): string {
  return localRedirect(value, services.config.baseUrl, fallback);
}

/**
 * Keeps the signed OAuth authorization query of a login or consent page (the parameters named
 * by `ba_param`, plus `sig`), the way the oauth-provider client plugin does in a browser.
 */
export function signedOAuthQuery(search: string): string | undefined {
  const params = new URLSearchParams(search);
  if (!params.has("sig")) return undefined;
  const names = new Set(params.getAll("ba_param"));
  if (names.size === 0) return undefined;
  const signed = new URLSearchParams();
  for (const [key, value] of params.entries()) {
    if (key === "sig" || key === "ba_param" || names.has(key)) signed.append(key, value);
  }
  return signed.toString();
}

/** Refuses cross-site form posts: a browser's Origin must be one we trust. */
export function crossSitePost(services: Services, c: AppContext): boolean {
  const origin = c.req.header("origin");
  if (!origin || origin === "null") return c.req.header("sec-fetch-site") === "cross-site";
  return !services.trustedOrigins.has(origin);
}

export async function formBody(c: AppContext): Promise<Record<string, string>> {
  const form = await c.req.parseBody();
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(form)) if (typeof value === "string") out[key] = value;
  return out;
}

export function errorMessage(body: Record<string, unknown>, fallback: string): string {
  return typeof body.message === "string" && body.message ? body.message : fallback;
}

export function errorCode(body: Record<string, unknown>): string | undefined {
  return typeof body.code === "string" ? body.code : undefined;
}

/** Our words for Better Auth's username refusals (the pages call a username a handle). */
export function usernameProblem(code: string | undefined): string | undefined {
  switch (code) {
    case "USERNAME_IS_ALREADY_TAKEN":
      return "That handle is taken. Choose another.";
    case "USERNAME_TOO_SHORT":
    case "USERNAME_TOO_LONG":
    case "INVALID_USERNAME":
      return "Use 3–30 letters, digits, _ or . for a handle.";
    case "USERNAME_IS_IMMUTABLE":
      return "The handle cannot be changed.";
    default:
      return undefined;
  }
}

/** The same rule Better Auth's username plugin applies, checked first for a clear field error. */
export function validUsername(value: string): boolean {
  return /^[a-zA-Z0-9_.]{3,30}$/.test(value);
}

/** Where a confirmation link sends the browser (with `error=…` when the link did not work). */
export function verificationCallback(oauthQuery: string | undefined): string {
  return oauthQuery ? `/sign-in?verified=1&${oauthQuery}` : "/sign-in?verified=1";
}
