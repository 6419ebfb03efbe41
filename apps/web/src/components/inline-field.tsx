"use client";

import { useRouter } from "next/navigation";
import { type KeyboardEvent, type ReactNode, useEffect, useRef, useState, useTransition } from "react";
import { saveTaskField } from "@/app/task-field-actions";
import type { TaskSnapshot } from "@/lib/task-conflict";
import type { EditableField } from "@/lib/task-field-edit";
import { secondaryButtonClass } from "./form-message";

export interface FieldOption {
  value: string;
  label: string;
  group?: string;
}

const editorClass =
  "rounded border border-indigo-400 bg-white px-1.5 py-0.5 text-sm font-normal text-slate-900 dark:bg-slate-900 dark:text-slate-100";

/**
 * One field of a task, edited where it is shown: the value is a button; a click or Enter opens its editor; Enter
 * saves, Escape cancels (focus goes back to the value). The save starts from the task as it was when the editor
 * opened (its version goes in `If-Match`), so a change someone made meanwhile is named, not overwritten, even when
 * the page refreshed itself in between.
 */
export function InlineField({
  task,
  field,
  label,
  text,
  initial,
  children,
  input = "text",
  options = [],
  editable = true,
  className = "",
}: {
  task: TaskSnapshot;
  field: EditableField;
  /** The field's name in words ("Title"): the editor's label. */
  label: string;
  /** The value in words (shown unless `children` shows it otherwise). */
  text: string;
  /** The editor's starting value, as the input holds it. */
  initial: string;
  /** How the value is shown (defaults to `text`). */
  children?: ReactNode;
  input?: "text" | "select" | "datetime-local";
  options?: FieldOption[];
  editable?: boolean;
  className?: string;
}) {
  const router = useRouter();
  const [base, setBase] = useState<TaskSnapshot>();
  const [draft, setDraft] = useState(initial);
  const [notice, setNotice] = useState<{ text: string; failed: boolean; conflict?: boolean }>();
  const [pending, startTransition] = useTransition();
  const button = useRef<HTMLButtonElement>(null);
  const editor = useRef<HTMLInputElement & HTMLSelectElement>(null);
  const returnFocus = useRef(false);

  useEffect(() => {
    if (base) editor.current?.focus();
    else if (returnFocus.current) {
      returnFocus.current = false;
      button.current?.focus();
    }
  }, [base]);

  if (!editable) return <span className={className}>{children ?? text}</span>;

  const open = () => {
    setBase(task);
    setDraft(initial);
    setNotice(undefined);
  };
  const close = () => {
    returnFocus.current = true;
    setBase(undefined);
  };
  const save = () => {
    if (!base || pending) return;
    if (draft === initial && base.version === task.version) return close();
    startTransition(async () => {
      const result = await saveTaskField(base, field, draft);
      if (result.ok) {
        setNotice({ text: result.message, failed: false });
        close();
        router.refresh();
      } else {
        setNotice({ text: result.message, failed: true, ...(result.conflict ? { conflict: true } : {}) });
      }
    });
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === "Enter") {
      event.preventDefault();
      save();
    } else if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      setNotice(undefined);
      close();
    }
  };
  const reload = () => {
    setNotice(undefined);
    close();
    router.refresh();
  };
  const groups = [...new Set(options.map((o) => o.group ?? ""))];
  const editorId = `edit-${field}-${task.id}`;

  return (
    <span className={`inline-flex flex-wrap items-center gap-1 ${className}`} data-field={field}>
      {base ? (
        <>
          <label htmlFor={editorId} className="sr-only">
            {label}
          </label>
          {input === "select" ? (
            <select
              id={editorId}
              ref={editor}
              value={draft}
              disabled={pending}
              onChange={(event) => setDraft(event.target.value)}
              onKeyDown={onKeyDown}
              className={editorClass}
            >
              {groups.map((group) =>
                group ? (
                  <optgroup key={group} label={group}>
                    {options
                      .filter((o) => o.group === group)
                      .map((o) => (
                        <option key={o.value} value={o.value}>
                          {o.label}
                        </option>
                      ))}
                  </optgroup>
                ) : (
                  options
                    .filter((o) => !o.group)
                    .map((o) => (
                      <option key={o.value} value={o.value}>
                        {o.label}
                      </option>
                    ))
                ),
              )}
            </select>
          ) : (
            <input
              id={editorId}
              ref={editor}
              type={input}
              value={draft}
              disabled={pending}
              onChange={(event) => setDraft(event.target.value)}
              onKeyDown={onKeyDown}
              className={`${editorClass} ${field === "title" ? "min-w-64" : ""}`}
            />
          )}
          <button type="button" onClick={save} disabled={pending} className={secondaryButtonClass}>
            {pending ? "Saving…" : "Save"}
          </button>
          <button
            type="button"
            onClick={() => {
              setNotice(undefined);
              close();
            }}
            className={secondaryButtonClass}
          >
            Cancel
          </button>
        </>
      ) : (
        <button
          ref={button}
          type="button"
          onClick={open}
          className="rounded px-0.5 text-left hover:bg-slate-200 focus-visible:outline-2 focus-visible:outline-indigo-600 dark:hover:bg-slate-800"
        >
          {children ?? text}
          <span className="sr-only"> (edit {label.toLowerCase()})</span>
        </button>
      )}
      {notice ? (
        <span
          role={notice.failed ? "alert" : "status"}
          data-testid={notice.conflict ? "edit-conflict" : "edit-notice"}
          className={`block w-full text-sm font-normal ${notice.failed ? "text-red-700 dark:text-red-400" : "text-green-700 dark:text-green-400"}`}
        >
          {notice.text}{" "}
          {notice.conflict ? (
            <button type="button" onClick={reload} className="underline">
              Reload
            </button>
          ) : null}
        </span>
      ) : null}
    </span>
  );
}
