// The session cookie on Next.js: read in server components, written in route handlers, server actions and the proxy.
import { cookies } from "next/headers";
import type { NextResponse } from "next/server";
import { config } from "@/env";
import { joinChunks, type Session, seal, splitChunks, unseal } from "./session-crypto";

export const sessionCookie = "tf_session";
export const loginCookie = "tf_login";
/** The session lives as long as the refresh token may (the SSO decides); the cookie at most 30 days. */
export const sessionMaxAge = 30 * 24 * 3600;

export function cookieOptions(maxAge: number, path = "/") {
  return { httpOnly: true, sameSite: "lax" as const, secure: config().secureCookies, path, maxAge };
}

export async function readSession(): Promise<Session | undefined> {
  const jar = await cookies();
  const sealed = joinChunks((name) => jar.get(name)?.value, sessionCookie);
  return unseal<Session>(sealed, config().sessionSecret, "session");
}

type CookieSetter = {
  set(name: string, value: string, options: ReturnType<typeof cookieOptions>): unknown;
  delete(name: string): unknown;
};

/** Writes the session over as many cookies as it needs, and removes leftover chunks. */
export async function writeSession(target: CookieSetter, session: Session, existing: string[] = []) {
  const sealed = await seal(session, config().sessionSecret, "session", sessionMaxAge);
  const chunks = splitChunks(sealed);
  chunks.forEach((chunk, index) => {
    target.set(`${sessionCookie}.${index}`, chunk, cookieOptions(sessionMaxAge));
  });
  for (const name of existing) {
    const index = Number(name.slice(sessionCookie.length + 1));
    if (name.startsWith(`${sessionCookie}.`) && index >= chunks.length) target.delete(name);
  }
  return sealed;
}

export function clearSession(response: NextResponse, existing: string[]) {
  for (const name of existing) {
    if (name.startsWith(`${sessionCookie}.`)) response.cookies.set(name, "", cookieOptions(0));
  }
}
