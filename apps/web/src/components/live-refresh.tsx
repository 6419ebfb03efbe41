"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { type LiveState, liveEventsUrl, onAccessEnded } from "@/lib/live-events";
import { refreshScheduler } from "@/lib/refresh-scheduler";

/**
 * Listens to the live events of the page's projects (through the dashboard's server) and refreshes the page when
 * something changed. One project: its own stream, refreshed quickly. Several (home, an agent's page): one merged
 * stream, refreshed at most every few seconds, since such a page reads many projects each time. When the API ends
 * a stream because the person lost the project or their sign-in is no longer accepted, the page says so and stops
 * listening; a stream the dashboard refused (signed out, not found) is not retried either: the browser gives up on
 * a refused EventSource, and the page says live updates stopped instead of "reconnecting" forever.
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
  const [state, setState] = useState<LiveState>("connecting");
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
    let ended = false;
    source.onopen = () => setState("live");
    // CLOSED: the dashboard refused the stream (a 401 or 404 problem), which the browser does not retry.
    source.onerror = () => {
      if (!ended) setState(source.readyState === EventSource.CLOSED ? "stopped" : "offline");
    };
    // Every change arrives as a plain message; pings keep their name and are ignored.
    source.onmessage = () => scheduler.changed();
    source.addEventListener("access_ended", (event) => {
      const next = onAccessEnded((event as MessageEvent<string>).data, ids.length);
      if (next.close) {
        ended = true;
        source.close();
      }
      if (next.refresh) scheduler.changed();
      if (next.state) setState(next.state);
    });
    return () => {
      scheduler.stop();
      document.removeEventListener("visibilitychange", onVisibility);
      source.close();
    };
  }, [key, since, from, router]);
  if (projectIds.length === 0) return null;
  const ended = state === "lost" || state === "signed-out" || state === "stopped";
  return (
    <span
      data-testid="live-state"
      data-state={state}
      role={ended ? "status" : undefined}
      className={ended ? "text-xs text-amber-700 dark:text-amber-400" : "text-xs text-slate-500"}
    >
      {liveStateText[state]}
      {state === "signed-out" || state === "stopped" ? (
        <>
          {" "}
          {/* A full navigation: the proxy renews the session on it, or the sign-in page takes over. */}
          <button type="button" className="underline" onClick={() => window.location.reload()}>
            Reload
          </button>
        </>
      ) : null}
    </span>
  );
}

const liveStateText: Record<LiveState, string> = {
  connecting: "○ connecting",
  live: "● live",
  offline: "○ reconnecting",
  lost: "Live updates ended: you no longer have access to this project.",
  "signed-out": "Live updates ended: your sign-in is no longer accepted.",
  stopped: "Live updates stopped.",
};
