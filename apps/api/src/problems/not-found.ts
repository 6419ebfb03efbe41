import type { Context, Hono, MiddlewareHandler } from "hono";
import { problemResponse } from "./problem-response.ts";

type AnyHono = Pick<Hono, "routes">;

/**
 * The answer for a request no route took: 405 with `Allow` when the path exists under other
 * methods (RFC 9110 §15.5.6), 404 otherwise; both `application/problem+json`.
 */
export function notFoundOrMethodNotAllowed(app: AnyHono) {
  let table: { pattern: RegExp; methods: Set<string> }[] | undefined;
  const allowedFor = (path: string): string[] => {
    table ??= buildTable(app);
    const methods = new Set<string>();
    for (const entry of table) if (entry.pattern.test(path)) for (const m of entry.methods) methods.add(m);
    return [...methods].sort();
  };
  return (c: Context): Response => {
    const allowed = allowedFor(c.req.path);
    if (allowed.length > 0 && !allowed.includes(c.req.method)) {
      return problemResponse(c, "method_not_allowed", {
        detail: `${c.req.method} is not served at ${c.req.path}; allowed: ${allowed.join(", ")}`,
        headers: { allow: allowed.join(", ") },
      });
    }
    return problemResponse(c, "not_found", { detail: `no route for ${c.req.method} ${c.req.path}` });
  };
}

/**
 * A fixed path (`/api/tasks/recent`) wins over a parameter (`/api/tasks/{id}`): a method the fixed
 * path does not serve answers 405 with its `Allow`, instead of being read as an id and refused as one.
 */
export function undeclaredMethods(app: AnyHono): MiddlewareHandler {
  let fixed: Map<string, string[]> | undefined;
  return async (c, next) => {
    fixed ??= fixedPaths(app);
    const allowed = fixed.get(c.req.path);
    if (allowed && !allowed.includes(c.req.method) && c.req.method !== "HEAD" && c.req.method !== "OPTIONS") {
      return problemResponse(c, "method_not_allowed", {
        detail: `${c.req.method} is not served at ${c.req.path}; allowed: ${allowed.join(", ")}`,
        headers: { allow: allowed.join(", ") },
      });
    }
    await next();
  };
}

function fixedPaths(app: AnyHono): Map<string, string[]> {
  const paths = new Map<string, Set<string>>();
  for (const route of app.routes) {
    if (route.method === "ALL" || route.path.includes("*") || route.path.includes(":")) continue;
    const methods = paths.get(route.path) ?? new Set<string>();
    methods.add(route.method.toUpperCase());
    paths.set(route.path, methods);
  }
  return new Map([...paths].map(([path, methods]) => [path, [...methods].sort()]));
}

function buildTable(app: AnyHono): { pattern: RegExp; methods: Set<string> }[] {
  const byPath = new Map<string, Set<string>>();
  for (const route of app.routes) {
    // Middleware is registered under ALL and wildcard paths; only real endpoints say what is allowed.
    if (route.method === "ALL" || route.path.includes("*")) continue;
    const methods = byPath.get(route.path) ?? new Set<string>();
    methods.add(route.method.toUpperCase());
    byPath.set(route.path, methods);
  }
  return [...byPath].map(([path, methods]) => ({
    pattern: new RegExp(
      `^${path
        .split("/")
        .map((segment) => (segment.startsWith(":") ? "[^/]+" : segment.replace(/[.+?^${}()|[\]\\]/g, "\\$&")))
        .join("/")}/?$`,
    ),
    methods,
  }));
}
