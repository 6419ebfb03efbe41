// Red-team findings against the Markdown renderer (each test fails on main as of 69cf220): a link to the
// dashboard's own origin whose path starts with `//` becomes a protocol-relative link to another host, shown as
// internal; a scheme-relative `https:host` is judged against an https stand-in page while an http dashboard
// resolves it to another host; deep nesting (blockquotes, ordered lists) overflows the stack, so one comment
// takes the whole task page down for every reader.
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { Markdown } from "../src/components/markdown.tsx";
import type { MarkdownLinks } from "../src/lib/markdown.ts";
import { safeLink } from "../src/lib/markdown-links.ts";

const page = "http://127.0.0.1:3000/tasks/7d0b6f0e-6a43-4a47-9d6e-0a5a3c2b1e11";
const links: MarkdownLinks = { origin: new URL(page).origin, agentPages: false, members: [] };
const render = (text: string) => renderToStaticMarkup(createElement(Markdown, { text, links }));
const hrefs = (html: string) => [...html.matchAll(/\shref="([^"]*)"/g)].map((m) => m[1] ?? "");
const relOf = (html: string) => /\srel="([^"]*)"/.exec(html)?.[1] ?? "";

describe("redteam: links that leave the dashboard while marked as its own", () => {
  it.each([
    `${new URL(page).origin}//evil.example/phish`,
    `${new URL(page).origin}/\\evil.example/phish`,
    "https:evil.example/phish",
    "https:/evil.example/phish",
  ])(
    "%s: where the browser goes is the dashboard, or the link is external (rel noopener noreferrer)",
    (target) => {
      const html = render(`[the task](${target})`);
      for (const href of hrefs(html)) {
        const landing = new URL(href, page);
        if (landing.origin !== new URL(page).origin) expect(relOf(html)).toContain("noreferrer");
      }
      const safe = safeLink(target, new URL(page).origin);
      if (safe?.kind === "internal") expect(new URL(safe.href, page).origin).toBe(new URL(page).origin);
    },
  );
});

describe("redteam: deep nesting does not take the page down", () => {
  it.each([
    ["blockquotes", "> ".repeat(5000)],
    ["ordered lists", "1. ".repeat(5000)],
  ])("%s within the description limit render (as text past some depth) instead of throwing", (_, text) => {
    expect(text.length).toBeLessThanOrEqual(20_000);
    expect(() => render(text)).not.toThrow();
  });
});

describe("redteam: emphasis markers by the thousand render as plain text", () => {
  // `*_` repeated 10,000 times took the parser 10 s (quadratic emphasis), on the one thread every reader shares.
  it.each([
    ["*_", "*_".repeat(10_000)],
    ["*a", "*a".repeat(10_000)],
    ["~a", "~a".repeat(10_000)],
  ])("%s repeated is shown word for word, not parsed", (_, text) => {
    const html = render(text);
    expect(html).not.toMatch(/<(em|strong|del)>/);
    expect(html).toContain(text.slice(0, 200));
  });

  it("ordinary Markdown with some emphasis still renders as Markdown", () => {
    expect(render("Some *emphasis*, __strong__ and ~~struck~~ words.")).toMatch(/<em>emphasis<\/em>/);
  });
});
