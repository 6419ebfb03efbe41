import type { ReactNode } from "react";

/** An empty list: what is not there yet (`title`), and the next step (`children`, often a link). */
export function EmptyState({
  title,
  children,
  testId = "empty-state",
}: {
  title: string;
  children?: ReactNode;
  testId?: string;
}) {
  return (
    <div
      data-testid={testId}
      className="rounded border border-dashed border-slate-300 p-4 text-sm dark:border-slate-700"
    >
      <p className="font-medium">{title}</p>
      {children ? <p className="mt-1 text-slate-600 dark:text-slate-400">{children}</p> : null}
    </div>
  );
}
