"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { inboxChangedEvent } from "@/lib/inbox-badge";
import { refreshScheduler } from "@/lib/refresh-scheduler";

/** Refreshes the inbox page when the header's live inbox says it changed (a burst is one refresh). */
export function InboxLive() {
  const router = useRouter();
  useEffect(() => {
    const scheduler = refreshScheduler(
      () => router.refresh(),
      { debounceMs: 150, minGapMs: 0 },
      {
        now: () => Date.now(),
        setTimeout: (run, ms) => window.setTimeout(run, ms),
        clearTimeout: (handle) => window.clearTimeout(handle as number),
        hidden: () => document.visibilityState === "hidden",
      },
    );
    const changed = () => scheduler.changed();
    const onVisibility = () => scheduler.visibilityChanged();
    window.addEventListener(inboxChangedEvent, changed);
    document.addEventListener("visibilitychange", onVisibility);
    return () => {
      scheduler.stop();
      window.removeEventListener(inboxChangedEvent, changed);
      document.removeEventListener("visibilitychange", onVisibility);
    };
  }, [router]);
  return null;
}
