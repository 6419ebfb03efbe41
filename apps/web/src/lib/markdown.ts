// The Markdown pipeline every text of people and agents goes through (descriptions, comments, run activity),
// on the server and in the writing preview alike: GitHub-flavoured Markdown, then TaskFlow's own links (task
// references, @mentions), then one link policy, then a strict sanitizer as the last word. No raw HTML ever:
// what looks like HTML is shown as the characters it is.
import type { Element, ElementContent, Root as HastRoot, Properties } from "hast";
import type { Link, Nodes as MdastNodes, Root as MdastRoot, PhrasingContent, Text } from "mdast";
import type { Options } from "react-markdown";
import rehypeSanitize, { type Options as SanitizeSchema } from "rehype-sanitize";
import remarkGfm from "remark-gfm";
import { mentionedHandle, mentionPattern, safeLink, taskReferencePattern } from "./markdown-links";

/** Someone a text may @mention: a member of the task's project. */
export interface Mentionable {
  id: string;
  kind: "human" | "agent";
  handle: string;
  name: string;
}

export interface MarkdownLinks {
  /** The project's members by handle ("@ada"); any other handle stays plain text, as it notifies nobody. */
  members: readonly Mentionable[];
  /** The dashboard's public origin: a task's full URL on it links to the task in place. */
  origin: string | null;
  /** Whether the reader may open agents' pages (the organization's owners and admins): a mention links there. */
  agentPages: boolean;
}

export const noLinks: MarkdownLinks = { members: [], origin: null, agentPages: false };

/** Raw HTML (inline or a block) becomes text: `<script>` reads as `<script>`, as it did before Markdown. */
function remarkHtmlAsText() {
  return (tree: MdastRoot) => {
    walk(
      tree,
      (node, parent, index) => {
        if (node.type !== "html") return undefined;
        const text: Text = { type: "text", value: node.value };
        // A block of HTML becomes a paragraph of its text; inline HTML, text where it stood.
        const block = parent.type === "root" || parent.type === "blockquote" || parent.type === "listItem";
        parent.children.splice(index, 1, (block ? { type: "paragraph", children: [text] } : text) as never);
        return undefined;
      },
      { intoLinks: true },
    );
  };
}

/**
 * Footnotes would need ids that stay unique across every comment on a page: they are shown as written
 * (`[^1]`), and a definition as its own paragraph.
 */
function remarkFootnotesAsText() {
  return (tree: MdastRoot) => {
    walk(tree, (node, parent, index) => {
      if (node.type === "footnoteReference") {
        parent.children.splice(index, 1, {
          type: "text",
          value: `[^${node.label ?? node.identifier}]`,
        } as never);
      } else if (node.type === "footnoteDefinition") {
        const label: Text = { type: "text", value: `[^${node.label ?? node.identifier}]: ` };
        const [first, ...rest] = node.children;
        const blocks =
          first?.type === "paragraph"
            ? [{ ...first, children: [label, ...first.children] }, ...rest]
            : [{ type: "paragraph" as const, children: [label] }, ...node.children];
        parent.children.splice(index, 1, ...(blocks as never[]));
      }
      return undefined;
    });
  };
}

/** A text's headings sit under the page's own (h1 title, h2 sections): `#` becomes h3, down to h6. */
function remarkHeadingsBelowPage() {
  return (tree: MdastRoot) => {
    walk(tree, (node) => {
      if (node.type === "heading") node.depth = Math.min(6, node.depth + 2) as typeof node.depth;
      return undefined;
    });
  };
}

/**
 * `#<task id>` links to the task; `@handle` of a member links to an agent's page (for a reader who may open it)
 * or is marked, with the name and "(agent)" as its title.
 */
function remarkTaskflowReferences(links: MarkdownLinks) {
  const byHandle = new Map(links.members.map((m) => [m.handle.toLowerCase(), m]));
  return () => (tree: MdastRoot) => {
    walk(tree, (node, parent, index) => {
      if (node.type !== "text") return;
      const pieces = splitReferences(node.value, byHandle, links.agentPages);
      if (pieces === null) return;
      parent.children.splice(index, 1, ...(pieces as never[]));
      return index + pieces.length;
    });
  };
}

function splitReferences(
  value: string,
  byHandle: Map<string, Mentionable>,
  agentPages: boolean,
): PhrasingContent[] | null {
  const found: { start: number; end: number; node: PhrasingContent }[] = [];
  for (const match of value.matchAll(taskReferencePattern)) {
    const id = (match[1] ?? "").toLowerCase();
    const link: Link = {
      type: "link",
      url: `/tasks/${id}`,
      children: [{ type: "text", value: match[0] }],
      data: { hProperties: { className: ["task-link"] } },
    };
    found.push({ start: match.index, end: match.index + match[0].length, node: link });
  }
  for (const match of value.matchAll(mentionPattern)) {
    const handle = mentionedHandle(match[1] ?? "");
    const member = handle ? byHandle.get(handle) : undefined;
    if (!handle || !member) continue;
    const written = match[0].slice(0, handle.length);
    const text: Text = { type: "text", value: written };
    const title = member.kind === "agent" ? `${member.name} (agent)` : member.name;
    const node: PhrasingContent =
      member.kind === "agent" && agentPages
        ? {
            type: "link",
            url: `/agents/${member.id}`,
            title,
            children: [text],
            data: { hProperties: { className: ["mention"] } },
          }
        : { ...text, data: { hName: "span", hProperties: { className: ["mention"], title } } };
    found.push({ start: match.index, end: match.index + written.length, node });
  }
  if (found.length === 0) return null;
  found.sort((a, b) => a.start - b.start);
  const pieces: PhrasingContent[] = [];
  let at = 0;
  for (const piece of found) {
    if (piece.start < at) continue;
    if (piece.start > at) pieces.push({ type: "text", value: value.slice(at, piece.start) });
    pieces.push(piece.node);
    at = piece.end;
  }
  if (at < value.length) pieces.push({ type: "text", value: value.slice(at) });
  return pieces;
}

type Visit = (
  node: MdastNodes,
  parent: Extract<MdastNodes, { children: unknown[] }>,
  index: number,
) => number | undefined;

/**
 * Every node below `tree`, depth first, a replaced node visited again; links' text only when asked (a mention
 * or task reference inside a link's text stays that link's text). A visitor may return where to go on.
 */
function walk(
  tree: Extract<MdastNodes, { children: unknown[] }>,
  visit: Visit,
  options: { intoLinks: boolean } = { intoLinks: false },
): void {
  let index = 0;
  while (index < tree.children.length) {
    const node = tree.children[index] as MdastNodes;
    const next = visit(node, tree, index);
    if (next !== undefined) {
      index = next;
      continue;
    }
    const current = tree.children[index] as MdastNodes | undefined;
    const link = node.type === "link" || node.type === "linkReference";
    if (current === node && "children" in node && (options.intoLinks || !link)) walk(node, visit, options);
    index += current === node ? 1 : 0;
  }
}

const externalRel = ["noopener", "noreferrer", "nofollow"];

/**
 * Every link and image, whatever Markdown syntax made it (inline, reference, autolink): a link the policy
 * refuses becomes its text; an image becomes a link to it, since loading a picture from anywhere would tell
 * that site who reads the task and when (and the CSP allows images only from the dashboard itself).
 */
function rehypeLinkPolicy(links: MarkdownLinks) {
  return () => (tree: HastRoot) => {
    const visit = (parent: HastRoot | Element) => {
      parent.children = parent.children.flatMap((child): ElementContent[] => {
        if (child.type !== "element") return [child as ElementContent];
        if (child.tagName === "img") {
          const src = String(child.properties.src ?? "");
          const alt = String(child.properties.alt ?? "");
          const label = alt ? `Image: ${alt}` : "Image";
          const link = linkElement(src, [{ type: "text", value: label }], ["image-link"], links);
          return link ? [link] : [{ type: "text", value: label }];
        }
        visit(child);
        if (child.tagName !== "a") return [child];
        const classes = Array.isArray(child.properties.className)
          ? child.properties.className.map(String)
          : [];
        const link = linkElement(String(child.properties.href ?? ""), child.children, classes, links);
        if (link && typeof child.properties.title === "string")
          link.properties.title = child.properties.title;
        return link ? [link] : child.children;
      });
    };
    visit(tree);
  };
}

function linkElement(
  target: string,
  children: ElementContent[],
  classes: string[],
  links: MarkdownLinks,
): Element | null {
  const safe = safeLink(target, links.origin);
  if (!safe) return null;
  const properties: Properties = { href: safe.href };
  if (safe.kind === "external" && !safe.href.startsWith("mailto:")) properties.rel = externalRel;
  const className =
    safe.kind === "internal" && safe.taskId ? [...new Set([...classes, "task-link"])] : classes;
  if (className.length > 0) properties.className = className;
  return { type: "element", tagName: "a", properties, children };
}

/**
 * What may reach the page, and nothing else: the elements GitHub-flavoured Markdown makes (headings from h3),
 * links with a checked href, TaskFlow's classes, a code block's language, a task list's disabled checkbox. No
 * ids (two comments on one page would clash), no style, no event handlers, no images.
 */
export const markdownSchema: SanitizeSchema = {
  tagNames: [
    "p",
    "br",
    "hr",
    "strong",
    "em",
    "del",
    "a",
    "span",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "input",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
  ],
  attributes: {
    a: ["href", ["rel", ...externalRel], ["className", "task-link", "mention", "image-link"], "title"],
    span: [["className", "mention"], "title"],
    code: [["className", /^language-[\w+#.-]{1,30}$/]],
    ol: [["start", /^\d{1,9}$/]],
    ul: [["className", "contains-task-list"]],
    li: [["className", "task-list-item"]],
    input: [["type", "checkbox"], ["disabled", true], "checked"],
    th: [["align", "left", "center", "right"]],
    td: [["align", "left", "center", "right"]],
  },
  required: { input: { type: "checkbox", disabled: true } },
  protocols: { href: ["http", "https", "mailto"] },
  ancestors: {
    li: ["ol", "ul"],
    tbody: ["table"],
    thead: ["table"],
    tr: ["table"],
    th: ["table"],
    td: ["table"],
    input: ["li"],
  },
  strip: ["script", "style"],
  clobber: [],
};

/** The options of react-markdown for a text with these links; the same on the server and in the preview. */
export function markdownOptions(links: MarkdownLinks): Options {
  return {
    remarkPlugins: [
      remarkGfm,
      remarkHtmlAsText,
      remarkFootnotesAsText,
      remarkHeadingsBelowPage,
      remarkTaskflowReferences(links),
    ],
    rehypePlugins: [rehypeLinkPolicy(links), [rehypeSanitize, markdownSchema]],
    // A third check after the policy and the sanitizer: react-markdown's own hook on every URL it writes.
    urlTransform: (url) => (safeLink(url, links.origin) ? url : undefined),
  };
}
