"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";

/** Listens to the project's live events (through the dashboard's server) and refreshes the page on each change. */
export function LiveRefresh({ projectId }: { projectId: string }) {
  const router = useRouter();
  const [state, setState] = useState<"connecting" | "live" | "offline">("connecting");
  useEffect(() => {
    const source = new EventSource(`/api/projects/${projectId}/events`);
    let timer: ReturnType<typeof setTimeout> | undefined;
    // The dashboard's proxy delivers every change as a plain message (pings keep their name and are ignored).
    const refresh = () => {
      clearTimeout(timer);
      timer = setTimeout(() => router.refresh(), 150);
    };
    source.onopen = () => setState("live");
    source.onerror = () => setState("offline");
    source.onmessage = refresh;
    return () => {
      clearTimeout(timer);
      source.close();
    };
  }, [projectId, router]);
  return (
    <span data-testid="live-state" data-state={state} className="text-xs text-slate-500">
      {state === "live" ? "● live" : state === "connecting" ? "○ connecting" : "○ reconnecting"}
    </span>
  );
}
