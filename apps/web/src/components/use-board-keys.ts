"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { boardStatuses, columns } from "@/lib/board";
import { isTypingTarget, neighbourStatus, shortcutFor, stepSelection } from "@/lib/shortcuts";

interface KeyCard {
  id: string;
  title: string;
  status: string;
}

const cardLink = (id: string) => document.querySelector<HTMLElement>(`[data-task-id="${CSS.escape(id)}"] a`);

/**
 * The board without a mouse: j/k or ↓/↑ select the next or previous card (column by column), ←/→ the first card
 * of the column beside, Shift+←/→ move the selected card there, 1–5 move it to that column, s opens its
 * "Move to…" choice, Enter opens it. The selected card holds the focus, so a screen reader reads it; the board's
 * live region says where a move went. Keys typed into a field, or with a dialog open, are left alone.
 */
export function useBoardKeys(
  tasks: KeyCard[],
  move: (taskId: string, status: string) => void,
  selected: string | undefined,
  setSelected: (id: string) => void,
) {
  const router = useRouter();

  // A moved card is drawn again in its new column: give it the focus back (unless the person went elsewhere).
  // biome-ignore lint/correctness/useExhaustiveDependencies: a refresh (new tasks) is when the moved card is drawn again
  useEffect(() => {
    if (!selected) return;
    const active = document.activeElement;
    if (!active || active === document.body || !active.isConnected) cardLink(selected)?.focus();
  }, [selected, tasks]);

  useEffect(() => {
    const select = (id: string | undefined) => {
      if (!id) return;
      setSelected(id);
      cardLink(id)?.focus();
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || isTypingTarget(event.target as HTMLElement | null)) return;
      if (document.querySelector("dialog[open]")) return;
      const action = shortcutFor(event, "board");
      if (!action || action.kind === "help") return;
      const ordered = columns(tasks).flatMap((column) => column.tasks);
      const current = ordered.find((task) => task.id === selected);
      switch (action.kind) {
        case "next":
        case "previous": {
          const index = ordered.findIndex((task) => task.id === selected);
          const next = stepSelection(index, action.kind === "next" ? 1 : -1, ordered.length);
          event.preventDefault();
          select(ordered[next]?.id);
          return;
        }
        case "column": {
          if (!current) return select(ordered[0]?.id);
          const start = boardStatuses.indexOf(current.status as (typeof boardStatuses)[number]);
          event.preventDefault();
          for (let i = start + action.direction; i >= 0 && i < boardStatuses.length; i += action.direction) {
            const first = ordered.find((task) => task.status === boardStatuses[i]);
            if (first) return select(first.id);
          }
          return;
        }
        case "move": {
          if (!current) return;
          const target = neighbourStatus(current.status, action.direction);
          event.preventDefault();
          if (target) move(current.id, target);
          return;
        }
        case "status":
          if (!current) return;
          event.preventDefault();
          move(current.id, action.status);
          return;
        case "status-menu":
          if (!current) return;
          event.preventDefault();
          document.querySelector<HTMLElement>(`[data-task-id="${CSS.escape(current.id)}"] select`)?.focus();
          return;
        case "open":
          // On the card's link Enter follows it already.
          if (!current || (event.target as HTMLElement | null)?.closest("a, button")) return;
          event.preventDefault();
          router.push(`/tasks/${current.id}`);
          return;
      }
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [tasks, selected, move, router, setSelected]);
}
