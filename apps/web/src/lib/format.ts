// Labels, and dates in UTC. Pages show dates in the person's zone with <When> (src/components/when.tsx); this UTC
// form is for what has no person behind it. A new date on a page should use <When>.

const formatter = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  timeZone: "UTC",
});

/** "1 May 2026, 09:30 UTC". */
export function formatWhen(iso: string): string {
  return `${formatter.format(new Date(iso))} UTC`;
}

export const priorityLabel: Record<string, string> = {
  critical: "Critical",
  high: "High",
  medium: "Medium",
  low: "Low",
};
