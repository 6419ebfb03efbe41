// What the page on screen tells the command palette (which project, which task): set by CommandContext while
// the page is shown, read by the palette when it opens. Browser-only module state: one page at a time.
import type { TaskSnapshot } from "./task-conflict";

export interface PageContext {
  project?: { id: string; name: string; canWork: boolean };
  task?: TaskSnapshot & { canReview: boolean };
}

let current: PageContext = {};

export function setPageContext(context: PageContext): void {
  current = context;
}

export function clearPageContext(context: PageContext): void {
  if (current === context) current = {};
}

export function pageContext(): PageContext {
  return current;
}
