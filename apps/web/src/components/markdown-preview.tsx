"use client";

import type { Mentionable } from "@/lib/markdown";
import { Markdown } from "./markdown";

/**
 * The writing preview's renderer: the same Markdown component and pipeline as the page. Its own module so the
 * Write/Preview toggle can load it (react-markdown and all) only when someone asks for a preview.
 */
export default function MarkdownPreview({
  text,
  members,
}: {
  text: string;
  members: readonly Mentionable[];
}) {
  if (text.trim() === "") return <p className="text-sm text-slate-500">Nothing to preview.</p>;
  // Mentions are marked, not linked: the preview does not know whether the writer may open agents' pages.
  return <Markdown text={text} links={{ members, origin: window.location.origin, agentPages: false }} />;
}
