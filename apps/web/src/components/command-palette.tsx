"use client";

import { usePathname, useRouter } from "next/navigation";
import {
  type KeyboardEvent,
  useEffect,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
  useTransition,
} from "react";
import { approveTask } from "@/app/actions";
import { assignTaskToMe, saveTaskField, searchPalette } from "@/app/task-field-actions";
import { pageContext, serverPageContext, subscribePageContext } from "@/lib/page-context";
import {
  type PaletteCommand,
  type PaletteResults,
  paletteCommands,
  paletteEntries,
  stepIndex,
} from "@/lib/palette";

const empty: PaletteResults = { projects: [], tasks: [] };

/**
 * Ctrl/⌘-K: type to go to a project or task, or to run a command on the page's project or task (create a task,
 * assign it to me, change its status, approve it). ↑/↓ pick, Enter runs, Escape closes. Loaded on first use.
 */
export function CommandPalette({
  open,
  onClose,
  onNotice,
}: {
  open: boolean;
  onClose: () => void;
  onNotice: (message: string) => void;
}) {
  const router = useRouter();
  const pathname = usePathname();
  const dialog = useRef<HTMLDialogElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const [query, setQuery] = useState("");
  const [results, setResults] = useState<PaletteResults>(empty);
  const [active, setActive] = useState(0);
  const context = useSyncExternalStore(subscribePageContext, pageContext, serverPageContext);
  const [pending, startTransition] = useTransition();

  // Each opening starts empty, decided while rendering the opening itself: a reset left to the effect below
  // would commit after the box has the focus, and letters typed at once (a quick person, a loaded machine)
  // would land on the last query still in the box ("create a task" + "approve").
  const [shownOpen, setShownOpen] = useState(open);
  if (open !== shownOpen) {
    setShownOpen(open);
    if (open) {
      setQuery("");
      setResults(empty);
      setActive(0);
    }
  }

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) {
      element.showModal();
      input.current?.focus();
    }
    if (!open && element.open) element.close();
  }, [open]);

  // Projects and tasks come from the API as the person types (a short pause first, the newest answer wins).
  useEffect(() => {
    if (!open) return;
    let current = true;
    const timer = setTimeout(() => {
      searchPalette(query, context.project?.id).then((found) => {
        if (current) setResults(found);
      });
    }, 150);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [open, query, context.project?.id]);

  const entries = useMemo(
    () =>
      paletteEntries(
        paletteCommands(
          {
            ...(context.project ? { project: context.project } : {}),
            ...(context.task
              ? {
                  task: {
                    id: context.task.id,
                    title: context.task.title,
                    status: context.task.status,
                    canReview: context.task.canReview,
                  },
                }
              : {}),
          },
          query,
        ),
        results,
      ),
    [context, query, results],
  );
  const highlighted = Math.min(active, entries.length - 1);

  const run = (entry: PaletteCommand) => {
    const { project, task } = context;
    // Closed now, so the dialog hands the focus back before a command moves it (e.g. into the new-task form).
    dialog.current?.close();
    onClose();
    switch (entry.kind) {
      case "project":
        router.push(`/projects/${entry.id}`);
        return;
      case "task":
        router.push(`/tasks/${entry.id}`);
        return;
      case "help":
        window.dispatchEvent(new Event("taskflow:shortcut-help"));
        return;
      case "new-task":
        if (!project) return;
        if (pathname === `/projects/${project.id}`) window.dispatchEvent(new Event("taskflow:new-task"));
        else router.push(`/projects/${project.id}?new=1`);
        return;
    }
    if (!task) return;
    startTransition(async () => {
      const result =
        entry.kind === "assign-me"
          ? await assignTaskToMe(task)
          : entry.kind === "status"
            ? await saveTaskField(task, "status", entry.status)
            : await approveTask(task.id, {}, new FormData());
      onNotice(result.message ?? (result.ok ? "Done." : "That did not work."));
      router.refresh();
    });
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      setActive(stepIndex(highlighted, event.key === "ArrowDown" ? 1 : -1, entries.length));
    } else if (event.key === "Enter") {
      event.preventDefault();
      const entry = entries[highlighted];
      if (entry) run(entry);
    }
  };

  return (
    <dialog
      ref={dialog}
      aria-label="Command palette"
      onClose={onClose}
      className="mx-auto mt-24 w-full max-w-xl rounded border border-slate-300 bg-white p-0 text-slate-900 backdrop:bg-slate-900/50 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100"
    >
      <input
        ref={input}
        role="combobox"
        aria-expanded="true"
        aria-controls="palette-list"
        aria-activedescendant={highlighted >= 0 ? `palette-${highlighted}` : undefined}
        aria-label="Type a command, project or task"
        placeholder="Type a command, project or task…"
        value={query}
        onChange={(event) => {
          setQuery(event.target.value);
          setActive(0);
        }}
        onKeyDown={onKeyDown}
        className="w-full border-b border-slate-200 bg-transparent px-3 py-2 outline-none dark:border-slate-700"
      />
      <div
        id="palette-list"
        role="listbox"
        aria-label="Matches"
        className="max-h-80 overflow-y-auto py-1 text-sm"
      >
        {entries.length === 0 ? (
          <p className="px-3 py-2 text-slate-500">{pending ? "Working…" : "Nothing matches."}</p>
        ) : (
          entries.map((entry, index) => (
            <div
              key={`${entry.kind}-${"id" in entry ? entry.id : entry.label}`}
              id={`palette-${index}`}
              role="option"
              tabIndex={-1}
              aria-selected={index === highlighted}
              onMouseEnter={() => setActive(index)}
              onClick={() => run(entry)}
              onKeyDown={() => undefined}
              className={`flex cursor-pointer justify-between gap-3 px-3 py-1.5 ${
                index === highlighted ? "bg-indigo-600 text-white" : ""
              }`}
            >
              <span>{entry.label}</span>
              {entry.kind === "task" ? <span className="opacity-75">{entry.hint}</span> : null}
            </div>
          ))
        )}
      </div>
    </dialog>
  );
}
