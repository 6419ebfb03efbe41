"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { liveEventsUrl } from "@/lib/live-events";
import { refreshScheduler } from "@/lib/refresh-scheduler";

/**
 * Listens to the live events of the page's projects (through the dashboard's server) and refreshes the page when
 * something changed. One project: its own stream, refreshed quickly. Several (home, an agent's page): one merged
 * stream, refreshed at most every few seconds, since such a page reads many projects each time.
 */
export function LiveRefresh({
  projectIds,
  renderedAt,
  after,
}: {
  projectIds: string[];
  /** When the server rendered the page (ms): changes before it are already shown. */
  renderedAt: number;
  /** The newest audit entry id the page read, if any: the API then replays less. */
  after?: string;
}) {
  const router = useRouter();
  const [state, setState] = useState<"connecting" | "live" | "offline">("connecting");
  // The first render's moment and position: a refresh re-renders this with new props, which must not reconnect.
  const [since] = useState(renderedAt);
  const [from] = useState(after);
  const key = projectIds.join(",");
  useEffect(() => {
    const ids = key.split(",").filter(Boolean);
    const url = liveEventsUrl(ids, since, from);
    if (!url) return;
    const scheduler = refreshScheduler(
      () => router.refresh(),
      ids.length === 1 ? { debounceMs: 150, minGapMs: 0 } : { debounceMs: 500, minGapMs: 5_000 },
      {
        now: () => Date.now(),
        setTimeout: (run, ms) => window.setTimeout(run, ms),
        clearTimeout: (handle) => window.clearTimeout(handle as number),
        hidden: () => document.visibilityState === "hidden",
      },
    );
    const onVisibility = () => scheduler.visibilityChanged();
    document.addEventListener("visibilitychange", onVisibility);
    const source = new EventSource(url);
    source.onopen = () => setState("live");
    source.onerror = () => setState("offline");
    // Every change arrives as a plain message; pings keep their name and are ignored.
    source.onmessage = () => scheduler.changed();
    return () => {
      scheduler.stop();
      document.removeEventListener("visibilitychange", onVisibility);
      source.close();
    };
  }, [key, since, from, router]);
  if (projectIds.length === 0) return null;
  return (
    <span data-testid="live-state" data-state={state} className="text-xs text-slate-500">
      {state === "live" ? "● live" : state === "connecting" ? "○ connecting" : "○ reconnecting"}
    </span>
  );
}
