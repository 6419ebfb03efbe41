"use client";

import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import {
  badgeHiddenWords,
  badgeText,
  inboxChangedEvent,
  inboxEventsUrl,
  unreadFromEvent,
} from "@/lib/inbox-badge";

/**
 * "Needs you" in the header, with the unread count, kept live by the person's inbox stream (through the
 * dashboard's /api/inbox/events). It tells the page when the inbox changed (a window event), so the inbox page
 * refreshes on this one stream. When the sign-in is no longer accepted it stops listening; an expired token's
 * stream reconnects (the proxy renews the token on that request).
 */
export function InboxBadge({ initial }: { initial: number }) {
  const [unread, setUnread] = useState(initial);
  const shown = useRef(initial);
  // A server render (a refresh) brings a fresh count.
  useEffect(() => {
    setUnread(initial);
    shown.current = initial;
  }, [initial]);
  useEffect(() => {
    const source = new EventSource(inboxEventsUrl);
    const changed = () => window.dispatchEvent(new CustomEvent(inboxChangedEvent));
    source.addEventListener("inbox", (event) => {
      const count = unreadFromEvent((event as MessageEvent<string>).data);
      if (count === null) return;
      setUnread(count);
      // The count the stream opens with is usually the one the page was rendered with: no refresh for that.
      if (count !== shown.current) changed();
      shown.current = count;
    });
    source.addEventListener("notification", changed);
    source.addEventListener("access_ended", (event) => {
      const reason = (() => {
        try {
          return (JSON.parse((event as MessageEvent<string>).data) as { reason?: string }).reason;
        } catch {
          return undefined;
        }
      })();
      if (reason !== "expired" && reason !== "unavailable") source.close();
    });
    return () => source.close();
  }, []);
  return (
    <Link
      href="/inbox"
      data-testid="inbox-badge"
      data-unread={unread}
      className="inline-flex items-center gap-1 hover:underline"
    >
      Needs you
      {unread > 0 ? (
        <>
          {" "}
          <span className="rounded-full bg-indigo-600 px-1.5 text-xs font-semibold leading-5 text-white">
            {badgeText(unread)}
          </span>
        </>
      ) : null}
      <span className="sr-only">{badgeHiddenWords(unread)}</span>
    </Link>
  );
}
