"use client";

import { useState } from "react";
import { type CopyState, copyLabel, copyText } from "@/lib/copy";

export function CopyButton({ value, label = "Copy" }: { value: string; label?: string }) {
  const [state, setState] = useState<CopyState>("idle");
  return (
    <button
      type="button"
      aria-live="polite"
      data-state={state}
      onClick={async () => setState(await copyText(navigator.clipboard, value))}
      className="rounded border border-slate-300 px-2 py-1 text-xs dark:border-slate-600"
    >
      {copyLabel(state, label)}
    </button>
  );
}
