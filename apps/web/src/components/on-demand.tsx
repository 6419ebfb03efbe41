"use client";

import { type ReactNode, useEffect, useId, useRef, useState } from "react";
import { secondaryButtonClass } from "./form-message";

/**
 * A form that opens when asked (its button, or `openEvent` sent by the command palette) instead of always
 * standing below the content. Opening focuses its first field; Escape inside it, or Close, puts it away and
 * gives the focus back to the button.
 */
export function OnDemand({
  label,
  openEvent,
  openAtStart = false,
  children,
}: {
  label: string;
  /** A window event that opens it (e.g. "taskflow:new-task" from the palette). */
  openEvent?: string;
  openAtStart?: boolean;
  children: ReactNode;
}) {
  const [open, setOpen] = useState(openAtStart);
  const panel = useRef<HTMLDivElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);
  const focusOnOpen = useRef(openAtStart);
  const id = useId();

  useEffect(() => {
    if (!openEvent) return;
    const onOpen = () => {
      focusOnOpen.current = true;
      setOpen(true);
      panel.current?.querySelector<HTMLElement>("input, textarea, select")?.focus();
    };
    window.addEventListener(openEvent, onOpen);
    return () => window.removeEventListener(openEvent, onOpen);
  }, [openEvent]);

  useEffect(() => {
    if (open && focusOnOpen.current) {
      focusOnOpen.current = false;
      panel.current?.querySelector<HTMLElement>("input, textarea, select")?.focus();
    }
  }, [open]);

  const close = () => {
    setOpen(false);
    toggle.current?.focus();
  };

  return (
    <div className="grid gap-2">
      <button
        ref={toggle}
        type="button"
        aria-expanded={open}
        aria-controls={id}
        onClick={() => {
          focusOnOpen.current = !open;
          setOpen(!open);
        }}
        className={`justify-self-start ${secondaryButtonClass}`}
      >
        {open ? `Close: ${label}` : label}
      </button>
      {/* biome-ignore lint/a11y/noStaticElementInteractions: Escape closes the form from any of its fields */}
      <div
        id={id}
        ref={panel}
        hidden={!open}
        onKeyDown={(event) => {
          if (event.key === "Escape") {
            event.preventDefault();
            close();
          }
        }}
      >
        {open ? children : null}
      </div>
    </div>
  );
}
