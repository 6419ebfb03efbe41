"use client";

import dynamic from "next/dynamic";
import { useEffect, useState } from "react";
import { isTypingTarget } from "@/lib/shortcuts";
import { ShortcutHelp } from "./shortcut-help";

// The palette's code is fetched on the first Ctrl/⌘-K, so pages that never open it do not carry it.
const CommandPalette = dynamic(() => import("./command-palette").then((m) => m.CommandPalette), {
  ssr: false,
});

/** Ctrl/⌘-K opens the command palette anywhere (it types nothing, so it works in fields too); ? opens the help. */
export function CommandPaletteLauncher() {
  const [opened, setOpened] = useState(false);
  const [open, setOpen] = useState(false);
  const [help, setHelp] = useState(false);
  const [notice, setNotice] = useState("");

  // The outcome of a palette action stays on screen a few seconds, then only for the next announcement.
  useEffect(() => {
    if (!notice) return;
    const timer = setTimeout(() => setNotice(""), 8_000);
    return () => clearTimeout(timer);
  }, [notice]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "k") {
        event.preventDefault();
        setOpened(true);
        setOpen(true);
      } else if (
        event.key === "?" &&
        !event.ctrlKey &&
        !event.metaKey &&
        !event.altKey &&
        !isTypingTarget(event.target as HTMLElement | null) &&
        !document.querySelector("dialog[open]")
      ) {
        event.preventDefault();
        setHelp(true);
      }
    };
    const onHelp = () => setHelp(true);
    window.addEventListener("keydown", onKey);
    window.addEventListener("taskflow:shortcut-help", onHelp);
    return () => {
      window.removeEventListener("keydown", onKey);
      window.removeEventListener("taskflow:shortcut-help", onHelp);
    };
  }, []);

  return (
    <>
      {opened ? <CommandPalette open={open} onClose={() => setOpen(false)} onNotice={setNotice} /> : null}
      <ShortcutHelp open={help} onClose={() => setHelp(false)} />
      <p
        role="status"
        data-testid="palette-notice"
        className={
          notice
            ? "fixed bottom-4 left-1/2 z-50 -translate-x-1/2 rounded bg-slate-900 px-3 py-2 text-sm text-white shadow dark:bg-slate-100 dark:text-slate-900"
            : "sr-only"
        }
      >
        {notice}
      </p>
    </>
  );
}
