import { dueInWords, formatInZone, isOverdue, relativeToNow } from "@/lib/time-zone";

export interface MomentProps {
  iso: string;
  /** The zone to read it in (the person's). */
  zone: string;
  show?: "absolute" | "relative" | "due";
  /** A due date of a finished task is never overdue. */
  done?: boolean;
}

/**
 * A moment in `zone`: `absolute` "1 May 2026, 18:30 GMT+9", `relative` "3 hours ago", `due` "due in 3 hours" or
 * "2 days overdue" (red while the task is open); relative ones carry the absolute time in a tooltip and for screen
 * readers. Pure, so a client component can draw it too (the list's editable due dates); <When> is the server's
 * wrapper that reads the request's zone. Drawn in a browser after the server, "now" and the browser's spelling of
 * an offset may differ by a word: the text is the browser's then, without a hydration error.
 */
export function Moment({ iso, zone, show = "absolute", done = false }: MomentProps) {
  const absolute = formatInZone(iso, zone);
  if (show === "absolute") {
    return (
      <time dateTime={iso} suppressHydrationWarning>
        {absolute}
      </time>
    );
  }
  const now = new Date();
  const words = show === "due" ? dueInWords(iso, now, done) : relativeToNow(iso, now);
  const overdue = show === "due" && isOverdue(iso, now, done);
  return (
    <time
      dateTime={iso}
      title={absolute}
      data-overdue={overdue ? "true" : undefined}
      className={overdue ? "font-medium text-red-700 dark:text-red-400" : undefined}
      suppressHydrationWarning
    >
      {words}
      <span className="sr-only" suppressHydrationWarning>
        {" "}
        ({absolute})
      </span>
    </time>
  );
}
