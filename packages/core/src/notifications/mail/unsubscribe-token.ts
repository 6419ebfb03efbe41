import { createHmac, timingSafeEqual } from "node:crypto";
import { type NotificationKind, notificationKinds } from "../../db/schema/notifications.ts";

// An unsubscribe link works without signing in, so the link itself must prove who sent it: its payload (the
// person and the kinds) is signed with HMAC-SHA256 under a secret only the API holds (NOTIFICATION_SECRET).
// Changing a byte of the payload, or making one up, gives a signature nobody can produce without the secret.
// It carries no expiry: a mail read a year later still unsubscribes.

const version = "u1";

export interface UnsubscribeGrant {
  workerId: string;
  kinds: NotificationKind[];
}

function sign(secret: string, payload: string): Buffer {
  return createHmac("sha256", secret).update(`${version}.${payload}`).digest();
}

/** `u1.<payload>.<signature>`, both base64url: what an unsubscribe link carries. */
export function unsubscribeToken(secret: string, grant: UnsubscribeGrant): string {
  const payload = Buffer.from(JSON.stringify({ w: grant.workerId, k: grant.kinds })).toString("base64url");
  return `${version}.${payload}.${sign(secret, payload).toString("base64url")}`;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The grant a token carries when its signature is ours, else null (forged, tampered, malformed). */
export function readUnsubscribeToken(secret: string, token: string): UnsubscribeGrant | null {
  const parts = token.split(".");
  if (parts.length !== 3 || parts[0] !== version) return null;
  const [, payload = "", signature = ""] = parts;
  if (!/^[A-Za-z0-9_-]{1,2000}$/.test(payload) || !/^[A-Za-z0-9_-]{43}$/.test(signature)) return null;
  const given = Buffer.from(signature, "base64url");
  const expected = sign(secret, payload);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  } catch {
    return null;
  }
  const { w, k } = (parsed ?? {}) as { w?: unknown; k?: unknown };
  if (typeof w !== "string" || !uuidPattern.test(w) || !Array.isArray(k) || k.length === 0) return null;
  if (!k.every((kind) => (notificationKinds as readonly unknown[]).includes(kind))) return null;
  return { workerId: w, kinds: [...new Set(k as NotificationKind[])] };
}
