// What the page on screen tells the command palette (which project, which task): set by CommandContext while
// the page is shown, read by the palette while it is open. Browser-only module state: one page at a time.
// The palette subscribes rather than reading once when it opens: a page refreshed after a command (or by a live
// event) replaces its context, and a palette opened in between must offer the commands of the page as it is now.
import type { TaskSnapshot } from "./task-conflict";

export interface PageContext {
  project?: { id: string; name: string; canWork: boolean };
  task?: TaskSnapshot & { canReview: boolean };
}

const none: PageContext = {};
let current: PageContext = none;
const listeners = new Set<() => void>();

function replace(context: PageContext): void {
  current = context;
  for (const listener of listeners) listener();
}

export function setPageContext(context: PageContext): void {
  replace(context);
}

export function clearPageContext(context: PageContext): void {
  if (current === context) replace(none);
}

export function pageContext(): PageContext {
  return current;
}

/** For useSyncExternalStore: the server renders no page context. */
export function serverPageContext(): PageContext {
  return none;
}

export function subscribePageContext(listener: () => void): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}
