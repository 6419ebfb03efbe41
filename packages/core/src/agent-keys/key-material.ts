import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** Agent API keys look like `tf_<lookup>_<secret>`: the lookup finds the row, the secret proves it. */
export const agentKeyPrefix = "tf_";
/** Personal access tokens have the same shape under a prefix of their own (`tfp_…`). */
export const personalTokenPrefix = "tfp_";
export type SecretPrefix = typeof agentKeyPrefix | typeof personalTokenPrefix;

export interface KeyMaterial {
  key: string;
  lookup: string;
  salt: string;
  secretHash: string;
  lastChars: string;
}

export function newKeyMaterial(prefix: SecretPrefix = agentKeyPrefix): KeyMaterial {
  const lookup = randomBytes(9).toString("base64url");
  const secret = randomBytes(32).toString("base64url");
  const salt = randomBytes(16).toString("hex");
  const key = `${prefix}${lookup}_${secret}`;
  return { key, lookup, salt, secretHash: hashSecret(salt, secret), lastChars: key.slice(-4) };
}

/**
 * The secret has 256 bits of entropy, so a salted SHA-256 is enough (no password stretching
 * needed) and keeps per-request verification cheap.
 */
export function hashSecret(salt: string, secret: string): string {
  return createHash("sha256").update(salt).update(secret).digest("hex");
}

const shapes: Record<SecretPrefix, RegExp> = {
  tf_: /^tf_([A-Za-z0-9_-]{12})_([A-Za-z0-9_-]{43})$/,
  tfp_: /^tfp_([A-Za-z0-9_-]{12})_([A-Za-z0-9_-]{43})$/,
};

export function parseKey(
  key: string,
  prefix: SecretPrefix = agentKeyPrefix,
): { lookup: string; secret: string } | null {
  const match = shapes[prefix].exec(key);
  if (!match?.[1] || !match[2]) return null;
  return { lookup: match[1], secret: match[2] };
}

export function secretMatches(salt: string, secret: string, storedHash: string): boolean {
  const given = Buffer.from(hashSecret(salt, secret), "hex");
  const stored = Buffer.from(storedHash, "hex");
  return given.length === stored.length && timingSafeEqual(given, stored);
}
