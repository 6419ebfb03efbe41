import { describe, expect, it } from "vitest";
import {
  liveEventsUrl,
  maxLiveProjects,
  newestId,
  onAccessEnded,
  parseLiveQuery,
} from "../src/lib/live-events.ts";

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;

describe("a page's live stream", () => {
  it("is the project's own stream for one project, the merged one for several, none for none", () => {
    expect(liveEventsUrl([id(1)], 1000, "42")).toBe(`/api/projects/${id(1)}/events?since=1000&after=42`);
    expect(liveEventsUrl([id(1), id(2), id(1)], 1000)).toBe(
      `/api/events?since=1000&project=${id(1)}&project=${id(2)}`,
    );
    expect(liveEventsUrl([], 1000)).toBeUndefined();
    expect(liveEventsUrl(["not-a-project"], 1000)).toBeUndefined();
  });

  it("listens to at most the bounded number of projects", () => {
    const many = Array.from({ length: 30 }, (_, n) => id(n));
    const url = new URL(liveEventsUrl(many, 1) ?? "", "http://x");
    expect(url.searchParams.getAll("project")).toHaveLength(maxLiveProjects);
    expect(parseLiveQuery(url.searchParams).projectIds).toHaveLength(maxLiveProjects);
  });

  it("reads back only well-formed values", () => {
    expect(
      parseLiveQuery(new URLSearchParams(`project=${id(1)}&project=x&project=${id(1)}&since=1700&after=9`)),
    ).toEqual({ projectIds: [id(1)], since: 1700, after: "9" });
    expect(parseLiveQuery(new URLSearchParams("since=soon&after=1;drop"))).toEqual({ projectIds: [] });
  });

  it("resumes after the newest audit entry, compared as numbers", () => {
    expect(newestId(["9", "10", "2"])).toBe("10");
    expect(newestId([])).toBeUndefined();
  });
});

describe("a stream the API ended for the person's access", () => {
  const end = (reason: string) => JSON.stringify({ reason, detail: "…" });

  it("stops a one-project page and says it is no longer theirs; refreshes a page of several, which keeps listening", () => {
    expect(onAccessEnded(end("lost"), 1)).toEqual({ close: true, refresh: false, state: "lost" });
    expect(onAccessEnded(end("lost"), 3)).toEqual({ close: false, refresh: true });
  });

  it("stops and asks to sign in again when the sign-in is no longer accepted", () => {
    expect(onAccessEnded(end("revoked"), 1)).toEqual({ close: true, refresh: false, state: "signed-out" });
    expect(onAccessEnded(end("revoked"), 2)).toMatchObject({ close: true, state: "signed-out" });
  });

  it("reconnects after an expired token (the proxy renews it) or a check that could not be made, or anything unknown", () => {
    for (const data of [end("expired"), end("unavailable"), end("new-reason"), "not json"]) {
      expect(onAccessEnded(data, 1)).toEqual({ close: false, refresh: false, state: "connecting" });
    }
  });
});
