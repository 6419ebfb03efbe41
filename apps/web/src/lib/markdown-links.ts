// Which links Markdown may carry, decided in one place for the renderer on the server and the preview in the
// browser. A link is kept only when the browser would follow it to http, https or mailto: anything else
// (`javascript:`, `data:`, `vbscript:`, `file:`, however written) loses its link and keeps its text.

/** A task's id in the API: tasks have no number or short code, only this UUID. */
const uuid = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const taskPath = new RegExp(`^/tasks/(${uuid})/?$`, "i");

/** Stands in for the page's own address when a relative link is resolved; never shown or fetched. */
const here = "https://dashboard.invalid/tasks/here";

export type SafeLink =
  /** A page of the dashboard (a relative link, or an absolute one to the dashboard's own origin). */
  | { kind: "internal"; href: string; taskId: string | null }
  /** Another site (or mail): opened without our referrer or opener, and not endorsed. */
  | { kind: "external"; href: string };

/**
 * What a link's target becomes: internal, external, or null when no link may be made of it. `origin` is the
 * dashboard's public origin (PUBLIC_URL's), so a task's full URL copied from the address bar links in place.
 */
export function safeLink(raw: string, origin: string | null): SafeLink | null {
  // The URL parser drops tabs and newlines anywhere and C0 controls and spaces at the ends (`java\tscript:`
  // is `javascript:` to a browser): resolve what the browser would resolve.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: C0 controls are what the URL parser trims
  const cleaned = raw.replace(/[\t\n\r]/g, "").replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, "");
  if (cleaned === "") return null;
  let url: URL;
  try {
    url = new URL(cleaned, here);
  } catch {
    return null;
  }
  if (url.protocol === "mailto:") return { kind: "external", href: url.href };
  if (url.protocol !== "http:" && url.protocol !== "https:") return null;
  const relative = url.origin === new URL(here).origin;
  const ours = relative || (origin !== null && url.origin === origin);
  if (!ours) return { kind: "external", href: url.href };
  const task = taskPath.exec(url.pathname);
  if (task?.[1]) return { kind: "internal", href: `/tasks/${task[1].toLowerCase()}`, taskId: task[1] };
  // A link of ours becomes the path it resolved to, so it works behind whatever host name the person used. Never
  // as written: the browser resolves against the real page, not `here` (`https:evil.example/a` is a path on an
  // https page and another site on an http one). One slash leads it: `//evil.example` is another host.
  // A link within the page (`#…`, `?…`) has no host or path to take over: it stays as written.
  if (relative && /^[#?]/.test(cleaned)) return { kind: "internal", href: cleaned, taskId: null };
  return {
    kind: "internal",
    href: `/${url.pathname.replace(/^\/+/, "")}${url.search}${url.hash}`,
    taskId: null,
  };
}

/** `#<task id>` in text: a reference to a task, linked to its page. Not inside a word or an address. */
export const taskReferencePattern = new RegExp(`(?<![\\w#/&])#(${uuid})(?![\\w-])`, "gi");

// A handle as packages/core's parseMentions reads it (the Handle schema: 2–39 of a-z 0-9 . _ -, starting with a
// letter or digit) after an @ that does not continue a word or an address; sentence punctuation after it is not
// part of it. test/markdown.test.ts checks that both read the same handles.
export const mentionPattern = /(?<![\w.@-])@([a-z0-9][a-z0-9._-]{1,38})/gi;

/** The handle a mention names (`@ada.` names `@ada`), lowercase, or null when too short once trimmed. */
export function mentionedHandle(match: string): string | null {
  const handle = match.toLowerCase().replace(/[._-]+$/, "");
  return handle.length >= 2 ? `@${handle}` : null;
}
