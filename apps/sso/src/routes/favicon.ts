import type { Hono } from "hono";
import type { AppEnv } from "./context.ts";

/** The TaskFlow mark (a tick in the dashboard's indigo), drawn here: nothing is fetched from elsewhere. */
export const FAVICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#4f46e5"/><path d="M9 16.5l4.5 4.5L23 11" fill="none" stroke="#fff" stroke-width="3.2" stroke-linecap="round" stroke-linejoin="round"/></svg>`;

export function registerFavicon(app: Hono<AppEnv>): void {
  app.get("/favicon.svg", (c) => {
    c.header("content-type", "image/svg+xml");
    c.header("cache-control", "public, max-age=86400");
    return c.body(FAVICON_SVG);
  });
  // Browsers ask for /favicon.ico where a page names no icon (a JSON answer, an error): the same mark.
  app.get("/favicon.ico", (c) => c.redirect("/favicon.svg", 301));
}
