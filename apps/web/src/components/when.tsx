import { timeZone } from "@/lib/request-time-zone";
import { dueInWords, formatInZone, isOverdue, relativeToNow } from "@/lib/time-zone";

/**
 * A moment as the person reads it, in their zone (a server component: it reads the zone of the request).
 * `absolute`: "1 May 2026, 18:30 GMT+9". `relative`: "3 hours ago". `due`: "due in 3 hours", "2 days overdue"
 * (red while the task is open). Relative ones carry the absolute time in a tooltip and for screen readers.
 */
export async function When({
  iso,
  show = "absolute",
  done = false,
}: {
  iso: string;
  show?: "absolute" | "relative" | "due";
  done?: boolean;
}) {
  const absolute = formatInZone(iso, await timeZone());
  if (show === "absolute") return <time dateTime={iso}>{absolute}</time>;
  // Rendered on the server only (no client copy of it), so "now" cannot differ at hydration.
  const now = new Date();
  const words = show === "due" ? dueInWords(iso, now, done) : relativeToNow(iso, now);
  const overdue = show === "due" && isOverdue(iso, now, done);
  return (
    <time
      dateTime={iso}
      title={absolute}
      data-overdue={overdue ? "true" : undefined}
      className={overdue ? "font-medium text-red-700 dark:text-red-400" : undefined}
    >
      {words}
      <span className="sr-only"> ({absolute})</span>
    </time>
  );
}
