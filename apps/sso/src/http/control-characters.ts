import type { MiddlewareHandler } from "hono";

/**
 * Control characters no value the SSO takes can hold: C0 but tab, line feed and carriage return (free
 * text such as a list of redirect URIs may be split over lines, and the redirect checks judge those
 * three themselves), DEL and C1. NUL is the one that did harm: PostgreSQL refuses it in text
 * ("invalid byte sequence for encoding UTF8: 0x00"), and a client_id, an invitation id or a client
 * name holding one became a 500 from deep inside Better Auth.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point of this pattern
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

const MESSAGE = "must not contain control characters (such as NUL, U+0000)";
/** At most this many fields are named in one answer. */
const MAX_ERRORS = 10;

interface FieldError {
  field: string;
  message: string;
}

/** A name fit to be repeated in an answer; anything else (a pasted token as a key, say) is not echoed. */
function shownName(name: string): string | undefined {
  return /^[\w$.[\]-]{1,64}$/.test(name) ? name : undefined;
}

function checkPair(where: string, name: string, value: unknown, errors: FieldError[]): void {
  if (CONTROL.test(name)) {
    errors.push({ field: where, message: `a field name ${MESSAGE}` });
    return;
  }
  const shown = shownName(name);
  checkValue(shown ? `${where}.${shown}` : where, value, errors);
}

function checkValue(field: string, value: unknown, errors: FieldError[]): void {
  if (errors.length >= MAX_ERRORS) return;
  if (typeof value === "string") {
    if (CONTROL.test(value)) errors.push({ field, message: MESSAGE });
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => {
      checkValue(`${field}.${index}`, item, errors);
    });
  } else if (typeof value === "object" && value !== null) {
    for (const [name, item] of Object.entries(value)) checkPair(field, name, item, errors);
  }
}

function checkPairs(where: string, pairs: Iterable<[string, unknown]>, errors: FieldError[]): void {
  for (const [name, value] of pairs) checkPair(where, name, value, errors);
}

/** The body's fields, for the types Better Auth and our forms read; undefined when it is none of them or does not parse. */
async function bodyFields(request: Request): Promise<unknown> {
  const type = (request.headers.get("content-type") ?? "").toLowerCase();
  try {
    if (type.includes("json")) return JSON.parse(await request.clone().text());
    if (type.startsWith("application/x-www-form-urlencoded")) {
      return Object.fromEntries(groupPairs(new URLSearchParams(await request.clone().text())));
    }
    if (type.startsWith("multipart/form-data")) {
      const form = await request.clone().formData();
      const strings: [string, string][] = [];
      for (const [name, value] of form.entries()) if (typeof value === "string") strings.push([name, value]);
      return Object.fromEntries(groupPairs(strings));
    }
  } catch {
    // A body that does not parse is the endpoint's to refuse, as before.
  }
  return undefined;
}

/** Repeated names keep every value (`redirect_uris=a&redirect_uris=b`). */
function groupPairs(pairs: Iterable<[string, string]>): Map<string, string | string[]> {
  const grouped = new Map<string, string | string[]>();
  for (const [name, value] of pairs) {
    const seen = grouped.get(name);
    grouped.set(name, seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value]);
  }
  return grouped;
}

function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * The client credentials of HTTP Basic authentication (token, introspection, revocation), decoded as
 * RFC 6749 §2.3.1 has them sent: base64 of `id:secret`, each form-urlencoded first. A NUL there reached
 * the client lookup like one in a form field.
 */
function basicCredentials(authorization: string | null): string | undefined {
  const match = authorization?.match(/^basic\s+([A-Za-z0-9+/=]+)\s*$/i);
  if (!match?.[1]) return undefined;
  const decodedPair = Buffer.from(match[1], "base64").toString("utf8");
  return decodedPair
    .split(":")
    .map((part) => decoded(part.replaceAll("+", " ")))
    .join(":");
}

/** Every field of a request that holds a control character: path segments, query parameters, body fields, Basic credentials. */
export async function controlCharacterErrors(request: Request): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  const url = new URL(request.url);
  if (url.pathname.split("/").some((segment) => CONTROL.test(decoded(segment)))) {
    errors.push({ field: "path", message: MESSAGE });
  }
  checkPairs("query", groupPairs(url.searchParams), errors);
  const credentials = basicCredentials(request.headers.get("authorization"));
  if (credentials !== undefined && CONTROL.test(credentials)) {
    errors.push({ field: "header.authorization", message: MESSAGE });
  }
  if (request.method !== "GET" && request.method !== "HEAD" && request.body) {
    const body = await bodyFields(request);
    if (body !== undefined) checkValue("body", body, errors);
  }
  return errors.slice(0, MAX_ERRORS);
}

/**
 * Refuses, before any page or Better Auth endpoint sees it, a request with a control character in a
 * path segment, a query parameter, a body field (JSON, form or multipart) or Basic client credentials:
 * 400 problem+json naming each such field (`query.client_id`, `body.client_name`,
 * `header.authorization`), with OAuth's `error` / `error_description`
 * beside them so an OAuth client reads it as the `invalid_request` it is.
 */
export function controlCharacterGuard(): MiddlewareHandler {
  return async (c, next) => {
    const errors = await controlCharacterErrors(c.req.raw);
    if (errors.length === 0) return next();
    const detail = errors.map((error) => `${error.field}: ${error.message}`).join("; ");
    return c.body(
      JSON.stringify({
        type: "https://taskflow.dev/problems/invalid-request",
        title: "The request is not valid",
        status: 400,
        code: "invalid_request",
        detail,
        errors,
        error: "invalid_request",
        error_description: detail,
      }),
      400,
      { "content-type": "application/problem+json", "cache-control": "no-store" },
    );
  };
}
