import type { ReactNode } from "react";

export interface TableColumn {
  label: string;
  /** Numbers align right. */
  numeric?: boolean;
}

/**
 * One chart: its title, the SVG (an image with a summary in words for screen readers), a legend, and the same
 * numbers as a real table. The table is always in the page: visually hidden unless the reader asked for
 * tables (`?view=table`), so screen readers and keyboard users always have it.
 */
export function ChartFrame({
  id,
  title,
  summary,
  legend,
  columns,
  rows,
  showTable,
  children,
}: {
  id: string;
  title: string;
  /** The chart in one sentence: the SVG's accessible name, and what shows instead when there are no rows. */
  summary: string;
  legend?: { label: string; swatchClass: string }[];
  columns: TableColumn[];
  /** One row per day, week, measure or agent: its first cell names it (and keys it). */
  rows: ReactNode[][];
  showTable: boolean;
  children: ReactNode;
}) {
  return (
    <section
      aria-labelledby={`${id}-title`}
      className="grid gap-2 rounded border border-slate-200 p-4 dark:border-slate-800"
    >
      <h2 id={`${id}-title`} className="text-lg font-semibold">
        {title}
      </h2>
      {rows.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">{summary}</p>
      ) : (
        <>
          <figure className="grid gap-2" data-chart={id}>
            {children}
            {legend ? (
              <figcaption>
                <ul className="flex flex-wrap gap-x-4 gap-y-1 text-sm" aria-hidden="true">
                  {legend.map((item) => (
                    <li key={item.label} className="flex items-center gap-1.5">
                      <svg width="12" height="12" aria-hidden="true" focusable="false">
                        <rect width="12" height="12" rx="2" className={item.swatchClass} />
                      </svg>
                      {item.label}
                    </li>
                  ))}
                </ul>
              </figcaption>
            ) : null}
          </figure>
          <div className={showTable ? "overflow-x-auto" : "sr-only"}>
            <table className="min-w-full text-sm" data-table={id}>
              <caption className="text-left font-medium">{title}: table</caption>
              <thead>
                <tr>
                  {columns.map((column) => (
                    <th
                      key={column.label}
                      scope="col"
                      className={`border-b border-slate-200 px-2 py-1 dark:border-slate-700 ${column.numeric ? "text-right" : "text-left"}`}
                    >
                      {column.label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((cells) => (
                  <tr key={String(cells[0])}>
                    {cells.map((cell, c) =>
                      c === 0 ? (
                        <th key={columns[c]?.label} scope="row" className="px-2 py-1 text-left font-normal">
                          {cell}
                        </th>
                      ) : (
                        <td
                          key={columns[c]?.label}
                          className={`px-2 py-1 ${columns[c]?.numeric ? "text-right tabular-nums" : ""}`}
                        >
                          {cell}
                        </td>
                      ),
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
