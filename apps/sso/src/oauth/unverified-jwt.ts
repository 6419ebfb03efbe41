// Whether a token sent to introspect or revoke is a JWT that none of our keys signed: decided before
// the provider sees the request, because the provider turns that case into a 500 (oauth/invalid-token.ts).
import { compactVerify, createLocalJWKSet, decodeProtectedHeader, type JSONWebKeySet } from "jose";
import { isTokenVerificationFailure } from "./invalid-token.ts";

/** True when `token` is shaped as a signed JWT but no key in `keys` verifies its signature. */
export async function isUnverifiedJwt(token: string, keys: JSONWebKeySet): Promise<boolean> {
  if (token.split(".").length !== 3) return false; // opaque tokens are the provider's to look up
  try {
    decodeProtectedHeader(token);
  } catch {
    return false;
  }
  try {
    await compactVerify(token, createLocalJWKSet(keys));
    return false;
  } catch (error) {
    return isTokenVerificationFailure(error);
  }
}

/** The `token` field of a form (or JSON) body, read from a copy so the request stays unread. */
export async function tokenInBody(request: Request): Promise<string | undefined> {
  const type = request.headers.get("content-type") ?? "";
  try {
    const text = await request.clone().text();
    if (type.includes("application/x-www-form-urlencoded"))
      return new URLSearchParams(text).get("token") ?? undefined;
    if (type.includes("application/json")) {
      const body: unknown = JSON.parse(text);
      const token =
        typeof body === "object" && body !== null ? (body as { token?: unknown }).token : undefined;
      return typeof token === "string" ? token : undefined;
    }
  } catch {
    // A body that does not parse is the provider's to refuse.
  }
  return undefined;
}
