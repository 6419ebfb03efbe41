// Encrypted session values: a JWE (dir + A256GCM) keyed by SHA-256 of SESSION_SECRET. Pure functions, no Next.js.
import { createHash } from "node:crypto";
import { EncryptJWT, jwtDecrypt } from "jose";

/** What the dashboard keeps for a signed-in person. Only ever inside the encrypted cookie. */
export interface Session {
  accessToken: string;
  refreshToken?: string;
  idToken?: string;
  /** Seconds since the epoch when the access token expires. */
  expiresAt: number;
  user: { sub: string; name?: string; email?: string };
}

/** The short-lived state of one sign-in attempt (authorization request → callback). */
export interface PendingLogin {
  codeVerifier: string;
  state: string;
  nonce: string;
  returnTo: string;
}

function keyFor(secret: string, purpose: string): Uint8Array {
  return new Uint8Array(createHash("sha256").update(`taskflow-web:${purpose}:`).update(secret).digest());
}

export async function seal(
  value: object,
  secret: string,
  purpose: string,
  maxAgeSeconds: number,
): Promise<string> {
  return new EncryptJWT({ v: value })
    .setProtectedHeader({ alg: "dir", enc: "A256GCM" })
    .setIssuedAt()
    .setExpirationTime(`${maxAgeSeconds}s`)
    .encrypt(keyFor(secret, purpose));
}

/** The sealed value, or undefined when it is missing, expired, tampered with or sealed with another key. */
export async function unseal<T>(
  token: string | undefined,
  secret: string,
  purpose: string,
): Promise<T | undefined> {
  if (!token) return undefined;
  try {
    const { payload } = await jwtDecrypt(token, keyFor(secret, purpose), {
      keyManagementAlgorithms: ["dir"],
      contentEncryptionAlgorithms: ["A256GCM"],
    });
    return payload.v as T;
  } catch {
    return undefined;
  }
}

/** Browsers keep about 4 KB per cookie: a long value is split over numbered cookies. */
export const chunkSize = 3800;
export function splitChunks(value: string): string[] {
  const chunks: string[] = [];
  for (let i = 0; i < value.length; i += chunkSize) chunks.push(value.slice(i, i + chunkSize));
  return chunks;
}

/** Joins `<name>.0`, `<name>.1`, … back together; undefined when the first is missing. */
export function joinChunks(get: (name: string) => string | undefined, name: string): string | undefined {
  let value = "";
  for (let i = 0; i < 10; i++) {
    const chunk = get(`${name}.${i}`);
    if (chunk === undefined) break;
    value += chunk;
  }
  return value === "" ? undefined : value;
}

/**
 * Only the dashboard's own pages: never an open redirect. Without one (or with a refused one) a sign-in lands
 * on Home, where a person's tasks, reviews and agents at work are. The value is parsed as a URL against the
 * dashboard's address, the way the browser will read the Location (tabs and newlines dropped,
 * backslashes read as slashes: `/%09/evil.example` is `//evil.example` to a browser), and kept only
 * when it resolves to the dashboard's origin, as the path it resolved to, which must resolve there
 * again (`/.//evil.example` would not).
 */
export function safeReturnTo(value: string | null | undefined, publicUrl: string): string {
  const fallback = "/";
  if (!value || !URL.canParse(value, publicUrl)) return fallback;
  const origin = new URL(publicUrl).origin;
  const url = new URL(value, publicUrl);
  if (url.origin !== origin) return fallback;
  const path = `${url.pathname}${url.search}${url.hash}`;
  return new URL(path, publicUrl).origin === origin ? path : fallback;
}
