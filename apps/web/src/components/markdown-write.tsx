"use client";

import { type ComponentType, type ReactNode, useEffect, useRef, useState } from "react";
import type { Mentionable } from "@/lib/markdown";

type Preview = ComponentType<{ text: string; members: readonly Mentionable[] }>;

const tab =
  "rounded px-2 py-0.5 text-xs aria-pressed:bg-slate-200 aria-pressed:font-medium dark:aria-pressed:bg-slate-800";

/**
 * Write / Preview around a Markdown textarea (its child, unchanged: same id, name, label and form value). The
 * preview's renderer is imported on the first click, so a page with a form ships none of it until then.
 */
export function MarkdownWrite({
  children,
  members = [],
}: {
  children: ReactNode;
  members?: readonly Mentionable[];
}) {
  const box = useRef<HTMLDivElement>(null);
  const [preview, setPreview] = useState<{ text: string } | null>(null);
  const [Renderer, setRenderer] = useState<Preview | null>(null);
  const [failed, setFailed] = useState(false);

  // Back to Write when the form is reset (after a post) or the browser finds the text invalid (a required box
  // left empty), so the person sees the box, not a stale preview.
  useEffect(() => {
    const textarea = box.current?.querySelector("textarea");
    const form = textarea?.form;
    const write = () => setPreview(null);
    textarea?.addEventListener("invalid", write);
    form?.addEventListener("reset", write);
    return () => {
      textarea?.removeEventListener("invalid", write);
      form?.removeEventListener("reset", write);
    };
  }, []);

  const showPreview = () => {
    const text = box.current?.querySelector("textarea")?.value ?? "";
    setPreview({ text });
    setFailed(false);
    if (Renderer) return;
    import("./markdown-preview").then(
      (module) => setRenderer(() => module.default),
      () => setFailed(true),
    );
  };

  return (
    <div className="grid gap-1">
      <div className="flex gap-1">
        <button
          type="button"
          className={tab}
          aria-pressed={preview === null}
          onClick={() => setPreview(null)}
        >
          Write
        </button>
        <button type="button" className={tab} aria-pressed={preview !== null} onClick={showPreview}>
          Preview
        </button>
        <span className="ml-auto self-center text-xs text-slate-500">Markdown</span>
      </div>
      <div ref={box} hidden={preview !== null}>
        {children}
      </div>
      {preview !== null ? (
        <div
          data-testid="markdown-preview"
          aria-live="polite"
          className="min-h-16 rounded border border-slate-300 p-2 text-sm dark:border-slate-700"
        >
          {failed ? (
            <p className="text-sm text-red-700">The preview could not be loaded. Try again.</p>
          ) : Renderer ? (
            <Renderer text={preview.text} members={members} />
          ) : (
            <p className="text-sm text-slate-500">Loading preview…</p>
          )}
        </div>
      ) : null}
    </div>
  );
}
