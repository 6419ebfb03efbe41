import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

export const webhookSecretPrefix = "whsec_";

/** A new signing secret: `whsec_` and 32 random bytes. */
export function generateWebhookSecret(): string {
  return `${webhookSecretPrefix}${randomBytes(32).toString("base64url")}`;
}

/** `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`: the `TaskFlow-Signature` header. */
export function signWebhookPayload(secret: string, body: string, timestampSeconds: number): string {
  const mac = createHmac("sha256", secret).update(`${timestampSeconds}.${body}`).digest("hex");
  return `t=${timestampSeconds},v1=${mac}`;
}

/**
 * What a receiver does: recompute the HMAC over `<t>.<raw body>`, compare in constant time, and
 * refuse timestamps older (or newer) than the tolerance, which stops replays.
 */
export function verifyWebhookSignature(
  secret: string,
  header: string,
  body: string,
  options: { toleranceSeconds?: number; nowSeconds?: number } = {},
): boolean {
  const parts = header.split(",").map((p) => p.trim().split("="));
  const t = Number(parts.find(([k]) => k === "t")?.[1]);
  if (!Number.isInteger(t)) return false;
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - t) > (options.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(createHmac("sha256", secret).update(`${t}.${body}`).digest("hex"));
  return parts
    .filter(([k, v]) => k === "v1" && v)
    .some(([, v]) => {
      const given = Buffer.from(v as string);
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
}
