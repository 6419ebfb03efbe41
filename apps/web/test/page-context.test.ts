import { describe, expect, it } from "vitest";
import {
  clearPageContext,
  type PageContext,
  pageContext,
  setPageContext,
  subscribePageContext,
} from "../src/lib/page-context.ts";

const project = { id: "p1", name: "Voyager", canWork: true };

describe("the page context the command palette reads", () => {
  it("tells an open palette when a refreshed page replaces its context", () => {
    const seen: PageContext[] = [];
    const unsubscribe = subscribePageContext(() => seen.push(pageContext()));
    const before: PageContext = { project };
    const after: PageContext = { project: { ...project, name: "Voyager 2" } };
    setPageContext(before);
    // a refresh: the old context is cleared, then the new one set
    clearPageContext(before);
    setPageContext(after);
    expect(seen).toEqual([before, {}, after]);
    expect(pageContext()).toBe(after);
    unsubscribe();
    setPageContext(before);
    expect(seen).toHaveLength(3);
    clearPageContext(before);
  });

  it("ignores a page clearing a context that is no longer the current one", () => {
    const first: PageContext = { project };
    const second: PageContext = { project: { ...project, id: "p2" } };
    setPageContext(first);
    setPageContext(second);
    clearPageContext(first);
    expect(pageContext()).toBe(second);
    clearPageContext(second);
    expect(pageContext()).toEqual({});
  });
});
