// The header's "Needs you" badge, for the browser: no contracts or zod here (this ships to every page).

/** The inbox's live stream through the dashboard (the API's, with the session's token). */
export const inboxEventsUrl = "/api/inbox/events";

/** A window event the badge sends when the inbox changed, so the inbox page refreshes on the same stream. */
export const inboxChangedEvent = "taskflow:inbox-changed";

/** The badge's text: the count, capped so the header keeps its shape. */
export function badgeText(unread: number): string {
  return unread > 99 ? "99+" : String(unread);
}

/**
 * What a screen reader hears for the inbox link: the visible words first, then what they mean (the link's text,
 * with the hidden part in `badgeHiddenWords`), so the spoken name contains what is seen (WCAG 2.5.3).
 */
export function badgeLabel(unread: number): string {
  return `Needs you${unread === 0 ? "" : ` ${badgeText(unread)}`}${badgeHiddenWords(unread)}`;
}

/** The words only screen readers get after the visible ones. */
export function badgeHiddenWords(unread: number): string {
  return unread === 0 ? ", nothing unread" : " unread";
}

/** The unread count an `inbox` event of the live inbox carries, or null for anything else. */
export function unreadFromEvent(data: string): number | null {
  try {
    const parsed = JSON.parse(data) as { unread?: unknown };
    return typeof parsed.unread === "number" && Number.isInteger(parsed.unread) && parsed.unread >= 0
      ? parsed.unread
      : null;
  } catch {
    return null;
  }
}
