/**
 * Where a redirect may send a browser. The value is parsed as a URL the way a browser resolves a
 * Location header (WHATWG: tabs and newlines removed, backslashes read as slashes, `//host` naming
 * another host, `/./` and `/../` resolved), against our own address, and kept only when the origin
 * it resolves to is one of `origins`. What is kept is re-serialized (a path for our own origin, the
 * full URL for another of ours) and must resolve to that same origin again: `/.//evil.example`
 * parses to our origin with the path `//evil.example`, which as a Location would leave. So no
 * spelling a browser reads differently from us gets through: the browser and this function are the
 * same parser. Undefined when the value may not be used.
 */
export function redirectTarget(
  value: unknown,
  base: string,
  origins: ReadonlySet<string>,
): string | undefined {
  if (typeof value !== "string" || value === "") return undefined;
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    return undefined;
  }
  if (!origins.has(url.origin)) return undefined;
  const own = url.origin === new URL(base).origin;
  const target = own ? `${url.pathname}${url.search}${url.hash}` : url.href;
  return new URL(target, base).origin === url.origin ? target : undefined;
}

/** A path on our own origin only (our pages' `callbackURL`), or `fallback`. */
export function localRedirect(value: unknown, base: string, fallback: string): string {
  return redirectTarget(value, base, new Set([new URL(base).origin])) ?? fallback;
}

/** The parameters through which Better Auth's endpoints take a place to send the browser afterwards. */
export const REDIRECT_PARAMETERS = [
  "callbackURL",
  "redirectTo",
  "errorCallbackURL",
  "newUserCallbackURL",
] as const;

/**
 * Better Auth's redirect parameters of one request (body, query), checked with `redirectTarget`:
 * `refused` names the first that may not be used; otherwise `replaced` holds the body and query with
 * every accepted value that is not already in its plain form rewritten as the absolute URL it
 * resolved to. Better Auth does not resolve a target the way a browser does (it reads
 * `http:evil.example` without our base, as http://evil.example/) and puts a non-ASCII one into a
 * header as it is (a 500): after the rewrite it only ever sees what we checked, spelled unambiguously.
 */
export function checkRedirectParameters(
  request: { body?: unknown; query?: unknown },
  base: string,
  origins: ReadonlySet<string>,
): { refused?: string; replaced: { body?: Record<string, unknown>; query?: Record<string, unknown> } } {
  const replaced: { body?: Record<string, unknown>; query?: Record<string, unknown> } = {};
  for (const part of ["body", "query"] as const) {
    const source = request[part];
    if (typeof source !== "object" || source === null || Array.isArray(source)) continue;
    const values = source as Record<string, unknown>;
    for (const name of REDIRECT_PARAMETERS) {
      const value = values[name];
      if (value === undefined || value === null || value === "") continue;
      const target = redirectTarget(value, base, origins);
      if (target === undefined) return { refused: name, replaced: {} };
      if (target !== value)
        replaced[part] = { ...(replaced[part] ?? values), [name]: new URL(target, base).href };
    }
  }
  return { replaced };
}
