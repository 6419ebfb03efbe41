"use client";

import { useEffect } from "react";
import { clearPageContext, setPageContext } from "@/lib/page-context";
import type { TaskSnapshot } from "@/lib/task-conflict";

/** Tells the command palette which project (and task) this page is about; renders nothing. */
export function CommandContext({
  project,
  task,
  canReview = false,
}: {
  project: { id: string; name: string; canWork: boolean };
  task?: TaskSnapshot;
  canReview?: boolean;
}) {
  useEffect(() => {
    const context = { project, ...(task ? { task: { ...task, canReview } } : {}) };
    setPageContext(context);
    return () => clearPageContext(context);
  }, [project, task, canReview]);
  return null;
}
