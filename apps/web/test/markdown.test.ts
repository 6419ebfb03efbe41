// The Markdown renderer of descriptions, comments and run activity, rendered as the server renders it
// (react-dom/server): what it makes of Markdown, and what it never lets through. The same payloads run in a real
// browser, without the CSP, in test/e2e/markdown.e2e.test.ts.
import { parseMentions } from "@taskflow/core";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { Markdown } from "../src/components/markdown.tsx";
import type { MarkdownLinks } from "../src/lib/markdown.ts";
import { mentionedHandle, mentionPattern, safeLink } from "../src/lib/markdown-links.ts";
import { xssPayloads } from "./markdown-payloads.ts";

const taskId = "7d0b6f0e-6a43-4a47-9d6e-0a5a3c2b1e11";
const origin = "https://tasks.example.com";
const links: MarkdownLinks = {
  origin,
  agentPages: true,
  members: [
    { id: "a0000000-0000-4000-8000-000000000001", kind: "agent", handle: "@builder", name: "Builder" },
    { id: "a0000000-0000-4000-8000-000000000002", kind: "human", handle: "@ada", name: "Ada Lovelace" },
  ],
};

const render = (text: string, with_: MarkdownLinks = links) =>
  renderToStaticMarkup(createElement(Markdown, { text, links: with_ }));

/** Every element's opening tag in the HTML, with its attributes. */
const tags = (html: string) => [...html.matchAll(/<([a-z0-9]+)((?:\s[^>]*)?)>/gi)];
const hrefs = (html: string) => [...html.matchAll(/\shref="([^"]*)"/g)].map((m) => m[1] ?? "");

describe("safeLink: which targets may be links", () => {
  it.each([
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "\u0001javascript:alert(1)",
    "vbscript:msgbox(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "DATA:text/html,<script>alert(1)</script>",
    "file:///etc/passwd",
    "blob:https://tasks.example.com/1",
    "",
  ])("refuses %j", (target) => {
    expect(safeLink(target, origin)).toBeNull();
  });

  it("keeps http, https and mailto, marking other sites external", () => {
    expect(safeLink("https://example.org/a?b#c", origin)).toEqual({
      kind: "external",
      href: "https://example.org/a?b#c",
    });
    expect(safeLink("//evil.example/x", origin)).toEqual({
      kind: "external",
      href: "https://evil.example/x",
    });
    expect(safeLink("mailto:ada@example.org", origin)).toEqual({
      kind: "external",
      href: "mailto:ada@example.org",
    });
  });

  it("resolves relative links to a path of the dashboard and turns its own task URLs into task links", () => {
    // As from a task's page (/tasks/<id>): one leading slash, never a host.
    expect(safeLink("../projects", origin)).toEqual({ kind: "internal", href: "/projects", taskId: null });
    expect(safeLink("https:evil.example/a", origin)).toEqual({
      kind: "internal",
      href: "/tasks/evil.example/a",
      taskId: null,
    });
    expect(safeLink("#top", origin)).toEqual({ kind: "internal", href: "#top", taskId: null });
    expect(safeLink(`${origin}/tasks/${taskId.toUpperCase()}`, origin)).toEqual({
      kind: "internal",
      href: `/tasks/${taskId}`,
      taskId: taskId.toUpperCase(),
    });
    expect(safeLink(`${origin}/inbox?unread=1`, origin)).toEqual({
      kind: "internal",
      href: "/inbox?unread=1",
      taskId: null,
    });
    // Another origin's /tasks/… is just another site.
    expect(safeLink(`https://evil.example/tasks/${taskId}`, origin)?.kind).toBe("external");
  });
});

describe("Markdown rendering", () => {
  it("renders lists, emphasis, tables, task lists and fenced code with its language", () => {
    const html = render(
      [
        "# Plan",
        "- **one**",
        "- _two_ ~~three~~",
        "",
        "1. first",
        "",
        "- [x] done",
        "- [ ] open",
        "",
        "| a | b |",
        "|:--|--:|",
        "| 1 | 2 |",
        "",
        "```ts",
        "const x = 1 < 2;",
        "```",
        "",
        "Use `npm test`.",
      ].join("\n"),
    );
    // Headings sit below the page's h1 and h2.
    expect(html).toContain("<h3>Plan</h3>");
    expect(html).toContain("<li><strong>one</strong></li>");
    expect(html).toContain("<em>two</em> <del>three</del>");
    expect(html).toContain("<ol>");
    expect(html).toContain('<input type="checkbox" disabled="" checked=""/> done');
    expect(html).toContain('<input type="checkbox" disabled=""/> open');
    // react-markdown writes a column's alignment as a style of our own (the sanitizer allows no style).
    expect(html).toContain('<th style="text-align:left">a</th>');
    expect(html).toContain('<pre><code class="language-ts">const x = 1 &lt; 2;\n</code></pre>');
    expect(html).toContain("<code>npm test</code>");
  });

  it("links #<task id> and the dashboard's task URL to the task page, and nothing like them", () => {
    const html = render(
      `See #${taskId}, ${origin}/tasks/${taskId} and [the spec](${origin}/tasks/${taskId}). ` +
        `Not #123, not issue#${taskId}, not \`#${taskId}\`.`,
    );
    expect(html).toContain(`<a href="/tasks/${taskId}" class="task-link">#${taskId}</a>`);
    expect(html).toContain(`<a href="/tasks/${taskId}" class="task-link">${origin}/tasks/${taskId}</a>`);
    expect(html).toContain(`<a href="/tasks/${taskId}" class="task-link">the spec</a>`);
    expect(hrefs(html)).toHaveLength(3);
    expect(html).toContain(`<code>#${taskId}</code>`);
  });

  it("links an agent's @mention to its page, marks a person's, and leaves unknown handles and addresses alone", () => {
    const html = render(
      "Thanks @builder. Ask @Ada, not @nobody or ada@example.org; `@builder` in code and [@ada](https://x.example).",
    );
    expect(html).toContain(
      '<a href="/agents/a0000000-0000-4000-8000-000000000001" class="mention" title="Builder (agent)">@builder</a>.',
    );
    expect(html).toContain('<span class="mention" title="Ada Lovelace">@Ada</span>');
    expect(html).toContain("not @nobody or ");
    expect(html).not.toContain('class="mention">@nobody');
    expect(html).toContain("<code>@builder</code>");
    expect(html).toContain('rel="noopener noreferrer nofollow">@ada</a>');
    // With nobody to mention (a page without the project's members), every handle is text.
    expect(render("@builder", { ...links, members: [] })).toContain("<p>@builder</p>");
  });

  it("marks an agent's @mention without a link for a reader who may not open agents' pages", () => {
    expect(render("@builder", { ...links, agentPages: false })).toContain(
      '<p><span class="mention" title="Builder (agent)">@builder</span></p>',
    );
    // Alone in its paragraph too, for a person.
    expect(render("@ada")).toContain('<p><span class="mention" title="Ada Lovelace">@ada</span></p>');
  });

  it("reads @mentions as the API does (packages/core's parseMentions)", () => {
    const texts = [
      "@ada @Bob_2 thanks @claude-code. and @x, me@example.com @a.b.c- (@zed) @@double @-no a@b",
      `@${"a".repeat(45)}`,
      "mail: ada@example.org, @ada.lovelace!",
    ];
    for (const text of texts) {
      const ours = [...new Set([...text.matchAll(mentionPattern)].map((m) => mentionedHandle(m[1] ?? "")))]
        .filter((h): h is string => h !== null)
        .slice(0, 50);
      expect(ours).toEqual(parseMentions(text));
    }
  });

  it("gives external links rel=noopener noreferrer nofollow, and shows images as links to them", () => {
    const html = render(
      "[docs](https://docs.example.org) ![diagram](https://img.example.org/d.png) ![](/x.png)",
    );
    expect(html).toContain('<a href="https://docs.example.org/" rel="noopener noreferrer nofollow">docs</a>');
    expect(html).toContain(
      '<a href="https://img.example.org/d.png" rel="noopener noreferrer nofollow" class="image-link">Image: diagram</a>',
    );
    expect(html).toContain('<a href="/x.png" class="image-link">Image</a>');
    expect(html).not.toContain("<img");
  });

  it("shows raw HTML as the characters it is, and footnotes as written", () => {
    const html = render('<b>bold?</b>\n\n<div onclick="x()">block</div>\n\nSee[^1].\n\n[^1]: The note.');
    expect(html).toContain("<p>&lt;b&gt;bold?&lt;/b&gt;</p>");
    expect(render("a <i>b</i>\n\n> <hr>")).toContain(
      "<p>a &lt;i&gt;b&lt;/i&gt;</p>\n<blockquote>\n<p>&lt;hr&gt;</p>",
    );
    expect(html).toContain("&lt;div onclick=&quot;x()&quot;&gt;block&lt;/div&gt;");
    expect(html).toContain("See[^1].");
    expect(html).toContain("[^1]: The note.");
    expect(html).not.toContain("<b>");
    expect(html).not.toContain("<section");
  });
});

describe("Markdown never lets script through", () => {
  it.each(xssPayloads)("%s", (_name, text) => {
    const html = render(text);
    for (const [, tag, attributes = ""] of tags(html)) {
      expect(["script", "iframe", "svg", "img", "object", "embed", "style", "math", "form"]).not.toContain(
        tag,
      );
      // Nothing but name="value" pairs (React escapes quotes inside values) and no event handler, style, id or
      // source attribute, whatever the element.
      const names = [...attributes.matchAll(/\s([^\s=]+)="[^"]*"/g)].map((m) => m[1] ?? "");
      expect(
        attributes
          .replaceAll(/\s([^\s=]+)="[^"]*"/g, "")
          .replace(/\/$/, "")
          .trim(),
      ).toBe("");
      for (const name of names) expect(name).not.toMatch(/^(on.*|style|id|srcdoc|formaction|src)$/i);
    }
    for (const href of hrefs(html)) {
      // Every href is http(s), mailto or relative, as the browser will read it (entities decoded).
      const decoded = href.replaceAll("&amp;", "&").replaceAll("&quot;", '"').replaceAll("&#x27;", "'");
      expect(safeLink(decoded, origin), href).not.toBeNull();
      expect(decoded).not.toMatch(/^\s*(javascript|data|vbscript):/i);
    }
  });
});
