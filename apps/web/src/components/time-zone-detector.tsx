"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { timeZoneCookie } from "@/lib/time-zone";

/**
 * Tells the server the browser's time zone (a cookie: the default until the person chooses one on /account). When
 * the cookie was missing or stale and the page was drawn in another zone, the page is drawn again, once: the
 * cookie then matches, so this cannot loop.
 */
export function TimeZoneDetector({ shownIn, chosen }: { shownIn: string; chosen: boolean }) {
  const router = useRouter();
  useEffect(() => {
    const browser = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (!browser) return;
    const current = document.cookie
      .split("; ")
      .find((c) => c.startsWith(`${timeZoneCookie}=`))
      ?.slice(timeZoneCookie.length + 1);
    if (current && decodeURIComponent(current) === browser) return;
    const secure = window.location.protocol === "https:" ? "; secure" : "";
    // biome-ignore lint/suspicious/noDocumentCookie: the Cookie Store API is missing in Firefox and older Safari.
    document.cookie = `${timeZoneCookie}=${encodeURIComponent(browser)}; path=/; max-age=31536000; samesite=lax${secure}`;
    if (!chosen && browser !== shownIn) router.refresh();
  }, [shownIn, chosen, router]);
  return null;
}
