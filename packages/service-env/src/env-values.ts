import { z } from "zod";

// Readers for the kinds of value the services' environment variables hold, so that TRUST_PROXY=1 or
// DATABASE_PREPARED_STATEMENTS=no means the same in the API, the MCP server and the SSO.

const TRUE_WORDS: readonly string[] = ["true", "1", "yes"];
const FLAG_WORDS = ["true", "false", "1", "0", "yes", "no", ""] as const;

/**
 * An on/off variable: true/false, 1/0 or yes/no. Unset or empty is `fallback` (pass `undefined`
 * when "not said" means something of its own, such as "decide from NODE_ENV").
 */
export function envFlag<Fallback extends boolean | undefined>(fallback: Fallback) {
  return z
    .enum(FLAG_WORDS, { error: "must be true or false (1/0 and yes/no work too)" })
    .optional()
    .transform((value): boolean | Fallback =>
      value === undefined || value === "" ? fallback : TRUE_WORDS.includes(value),
    );
}

/** A comma-separated list; blanks around and between the commas are dropped. */
export const envList = z.string().transform((value) =>
  value
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item.length > 0),
);

/**
 * TRUST_PROXY: how many proxies in front append to `X-Forwarded-For` (see clientAddress).
 * `false` is 0 (the socket's peer is the client), `true` is 1 (one ingress).
 */
export const envProxyCount = z
  .string()
  .regex(/^(true|false|\d{1,2})$/, "must be false, true or the number of proxies in front")
  .transform((value) => (value === "true" ? 1 : value === "false" ? 0 : Number(value)));

/**
 * ALLOWED_HOSTS: extra Host names a service answers to (see servedHosts), comma-separated: `name` (any
 * port) or `name:port`. A URL, a path or a blank inside a name is refused, naming the entry.
 */
export const envHostList = envList.superRefine((items, ctx) => {
  items.forEach((item, index) => {
    if (!/^(\[[0-9a-f:.]+\]|[a-z0-9_]([a-z0-9_.-]*[a-z0-9_])?)(:\d{1,5})?$/i.test(item)) {
      ctx.addIssue({
        code: "custom",
        message: `entry ${index + 1} (${item}) is not a host name or host:port`,
      });
    }
  });
});
