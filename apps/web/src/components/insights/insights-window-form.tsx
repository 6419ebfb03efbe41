import Link from "next/link";
import { inputClass } from "@/components/field";
import { secondaryButtonClass } from "@/components/form-message";
import { queryString } from "@/lib/api-client";

/**
 * The window the charts show (days in UTC, weeks of throughput) and whether the tables are shown: a plain
 * GET form and a link, so choosing costs no script.
 */
export function InsightsWindowForm({
  here,
  from,
  to,
  weeks,
  showTables,
}: {
  here: string;
  from: string;
  to: string;
  weeks: number;
  showTables: boolean;
}) {
  const toggle = `${here}${queryString({ from, to, weeks, view: showTables ? undefined : "table" })}`;
  return (
    <div className="flex flex-wrap items-end justify-between gap-3">
      <form method="get" action={here} className="flex flex-wrap items-end gap-3 text-sm">
        <label className="grid gap-1">
          From (UTC)
          <input type="date" name="from" defaultValue={from} className={inputClass} />
        </label>
        <label className="grid gap-1">
          To (UTC)
          <input type="date" name="to" defaultValue={to} className={inputClass} />
        </label>
        <label className="grid gap-1">
          Weeks of throughput
          <input
            type="number"
            name="weeks"
            min={1}
            max={52}
            defaultValue={weeks}
            className={`${inputClass} w-20`}
          />
        </label>
        {showTables ? <input type="hidden" name="view" value="table" /> : null}
        <button type="submit" className={secondaryButtonClass}>
          Show
        </button>
      </form>
      <Link href={toggle} className="text-sm underline">
        {showTables ? "Hide the tables" : "Show the numbers as tables"}
      </Link>
    </div>
  );
}
