import type { ReactNode } from "react";
import ReactMarkdown from "react-markdown";
import { type MarkdownLinks, markdownOptions, noLinks } from "@/lib/markdown";
import { withinMarkdownBudget } from "@/lib/markdown-budget";

// How rendered Markdown looks, on its container (Tailwind's reset leaves lists, headings and code unstyled).
const look = [
  "markdown grid gap-2 break-words [overflow-wrap:anywhere]",
  "[&_ul]:list-disc [&_ul]:pl-5 [&_ol]:list-decimal [&_ol]:pl-5 [&_li>ul]:mt-1 [&_li>ol]:mt-1",
  "[&_.contains-task-list]:list-none [&_.contains-task-list]:pl-0 [&_input]:mr-1",
  "[&_h3]:text-base [&_h3]:font-semibold [&_h4]:font-semibold [&_h5]:font-semibold [&_h6]:font-semibold",
  "[&_a]:text-indigo-700 [&_a]:underline dark:[&_a]:text-indigo-300",
  "[&_.mention]:rounded [&_.mention]:bg-indigo-50 [&_.mention]:px-0.5 [&_.mention]:font-medium",
  "dark:[&_.mention]:bg-indigo-950",
  "[&_code]:rounded [&_code]:bg-slate-100 [&_code]:px-1 [&_code]:font-mono [&_code]:text-[0.9em]",
  "dark:[&_code]:bg-slate-800 [&_pre]:overflow-x-auto [&_pre]:rounded [&_pre]:bg-slate-100 [&_pre]:p-2",
  "dark:[&_pre]:bg-slate-800 [&_pre_code]:bg-transparent [&_pre_code]:p-0 [&_pre]:text-xs",
  "[&_blockquote]:border-l-4 [&_blockquote]:border-slate-300 [&_blockquote]:pl-3 [&_blockquote]:text-slate-600",
  "dark:[&_blockquote]:border-slate-700 dark:[&_blockquote]:text-slate-400",
  "[&_table]:border-collapse [&_td]:border [&_th]:border [&_td]:px-2 [&_th]:px-2 [&_td]:border-slate-300",
  "[&_th]:border-slate-300 dark:[&_td]:border-slate-700 dark:[&_th]:border-slate-700",
].join(" ");

interface MarkdownProps {
  text: string;
  links?: MarkdownLinks;
  className?: string;
}

/** A text over the Markdown budget (lib/markdown-budget.ts), or one the parser gave up on, word for word. */
function PlainText({ text }: { text: string }) {
  return <p className="whitespace-pre-wrap">{text}</p>;
}

/**
 * Markdown written by people and agents (task descriptions, comments, run activity), rendered safely: a server
 * component wherever it is used from one, so pages ship no Markdown code; the writing preview loads it on demand.
 * A text the parser cannot take (past the budget, or one that still makes it fail) is shown as plain text: one
 * writer's text never costs other readers their page.
 */
export function Markdown({ text, links = noLinks, className = "" }: MarkdownProps) {
  let body: ReactNode = <PlainText text={text} />;
  if (withinMarkdownBudget(text)) {
    try {
      // Called, not mounted: react-markdown's synchronous component parses and converts here, where a failure
      // (e.g. RangeError from nesting the budget did not foresee) can be caught.
      body = ReactMarkdown({ ...markdownOptions(links), children: text });
    } catch {
      body = <PlainText text={text} />;
    }
  }
  return (
    <div className={`${look} ${className}`} data-markdown="">
      {body}
    </div>
  );
}
