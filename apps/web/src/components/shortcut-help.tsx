"use client";

import { useEffect, useRef } from "react";
import { shortcutHelp } from "@/lib/shortcuts";
import { secondaryButtonClass } from "./form-message";

/** The keyboard shortcuts, listed from the same table the keys are read with (src/lib/shortcuts.ts). */
export function ShortcutHelp({ open, onClose }: { open: boolean; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) element.showModal();
    if (!open && element.open) element.close();
  }, [open]);
  return (
    <dialog
      ref={dialog}
      aria-labelledby="shortcut-help-heading"
      onClose={onClose}
      className="m-auto w-full max-w-xl rounded border border-slate-300 bg-white p-4 text-slate-900 backdrop:bg-slate-900/50 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100"
    >
      <h2 id="shortcut-help-heading" className="mb-3 text-lg font-semibold">
        Keyboard shortcuts
      </h2>
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Keys, what they do, and where</caption>
        <thead className="text-xs uppercase text-slate-500">
          <tr>
            <th scope="col" className="py-1 pr-3">
              Keys
            </th>
            <th scope="col" className="py-1 pr-3">
              Does
            </th>
            <th scope="col" className="py-1">
              Where
            </th>
          </tr>
        </thead>
        <tbody>
          {shortcutHelp.map((row) => (
            <tr key={row.does} className="border-t border-slate-100 dark:border-slate-800">
              <td className="py-1 pr-3 whitespace-nowrap">
                {row.keys.map((key, i) => (
                  <span key={key}>
                    {i > 0 ? " or " : ""}
                    <kbd className="rounded border border-slate-300 px-1 font-mono text-xs dark:border-slate-600">
                      {key}
                    </kbd>
                  </span>
                ))}
              </td>
              <td className="py-1 pr-3">{row.does}</td>
              <td className="py-1 text-slate-500">{row.where}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="mt-3 text-xs text-slate-500">Shortcuts do nothing while you type in a field.</p>
      <form method="dialog" className="mt-3">
        <button type="submit" className={secondaryButtonClass}>
          Close
        </button>
      </form>
    </dialog>
  );
}
