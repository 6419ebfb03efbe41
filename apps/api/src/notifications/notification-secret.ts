import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * The secret that signs unsubscribe links: NOTIFICATION_SECRET (required in production, refused there by
 * parseEnv when missing). Outside production, when unset, one is generated once and kept in
 * `<data dir>/api-secrets.json` (mode 0600), so links in mail sent before a restart keep working.
 */
export function notificationSecret(configured: string | undefined, dataDir: string): string {
  if (configured) return configured;
  const file = join(dataDir, "api-secrets.json");
  const stored = existsSync(file)
    ? (JSON.parse(readFileSync(file, "utf8")) as { notificationSecret?: string })
    : {};
  if (stored.notificationSecret && stored.notificationSecret.length >= 32) return stored.notificationSecret;
  const secret = randomBytes(32).toString("base64url");
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify({ ...stored, notificationSecret: secret }, null, 2), { mode: 0o600 });
  chmodSync(file, 0o600);
  return secret;
}
