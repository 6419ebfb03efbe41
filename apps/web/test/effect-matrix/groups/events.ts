// Receiving a project's events: each stream path opened by each caller as its real client opens it (the
// API's Server-Sent Events with the caller's credential; the dashboard's live routes, src/app/api/**/
// events/route.ts, through the functions they run, with the session's token). Then a change is made in the
// project: the stream must deliver it exactly when the rule lets the caller read the project, and a stream
// the rule refuses must be refused when it opens.
import { randomUUID } from "node:crypto";
import type { EffectName } from "@taskflow/core";
import { openEventStream, readEventStream } from "../../../../api/test/support/sse-client.ts";
import { mergedLiveStream, projectLiveStream } from "../../../src/lib/live-streams.ts";
import { type Driver, driversFor, type Group } from "../support/matrix.ts";
import type { Caller, World } from "../support/world.ts";

export interface EventScene {
  /** The title of the task made once the caller's stream is open: the event it must (not) receive. */
  title: string;
}

/** What a driver needs of an opened stream. */
type Opened = Pick<Awaited<ReturnType<typeof openEventStream>>, "status" | "events" | "ended" | "close">;

/** How long an open stream is given to deliver the change (the API's feed is live: well under a second). */
const deliveryMs = 10_000;

/** The change as the stream shows it: with its task's title, or (merged streams) as a bare "change" message. */
type Shows = (event: Opened["events"][number], title: string) => boolean;
const withTitle: Shows = (event, title) => event.data.includes(title);
const bareChange: Shows = (event) => event.event === "message" && event.data === "change";

/** Opens, makes the change, and says what the stream did with it. */
const stream =
  (open: (w: World, caller: Caller) => Promise<Opened>, shows: Shows = withTitle): Driver<EventScene> =>
  async (w, caller, scene) => {
    const opened = await open(w, caller).catch(() => null);
    if (opened?.status !== 200) {
      await opened?.close();
      return "refused at open";
    }
    try {
      const created = await w.api.call("POST", `/api/projects/${w.project.id}/tasks`, {
        token: w.owner.rest,
        body: { title: scene.title },
      });
      if (created.status !== 201) throw new Error(`the change was not made: ${created.status}`);
      const deadline = Date.now() + deliveryMs;
      while (Date.now() < deadline) {
        if (opened.events.some((e) => shows(e, scene.title))) return "delivered";
        if (opened.ended()) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return "opened, nothing delivered";
    } finally {
      await opened.close();
    }
  };

/** A dashboard route's answer, read as the browser's EventSource reads it. */
const dashboardRoute =
  (route: (w: World, caller: Caller, signal: AbortSignal) => Promise<Response>) =>
  async (w: World, caller: Caller): Promise<Opened> => {
    const controller = new AbortController();
    const response = await route(w, caller, controller.signal);
    if (response.status === 200) return readEventStream(response, controller);
    await response.body?.cancel();
    return { status: response.status, events: [], ended: () => true, close: async () => {} };
  };

const drivers: Record<string, Driver<EventScene>> = {
  "GET /api/projects/{id}/events": stream((w, caller) =>
    openEventStream(`${w.api.baseUrl}/api/projects/${w.project.id}/events`, caller.rest),
  ),
  "live stream /api/projects/{id}/events (board, tasks, activity, task pages)": stream(
    dashboardRoute((w, caller, signal) =>
      projectLiveStream({
        apiUrl: w.api.baseUrl,
        accessToken: caller.dashboard ?? "",
        projectId: w.project.id,
        since: Date.now(),
        signal,
      }),
    ),
  ),
  "live stream /api/events?project={id} (home and agent pages)": stream(
    dashboardRoute((w, caller, signal) =>
      mergedLiveStream({
        apiUrl: w.api.baseUrl,
        accessToken: caller.dashboard ?? "",
        projectIds: [w.project.id],
        since: Date.now(),
        signal,
      }),
    ),
    // The merged stream says only that something changed (the page refreshes itself).
    bareChange,
  ),
};

const eventEffects = ["receive an event"] as const satisfies readonly EffectName[];

export const eventsGroup: Group<EventScene> = {
  effects: eventEffects,
  drivers: driversFor(drivers, eventEffects),
  variants: () => [
    {
      label: "a task made in the project once the stream is open",
      scene: async () => ({ title: `event-${randomUUID()}` }),
      outcome: (_, __, ___, answer) => (answer === "refused at open" ? "refused" : String(answer)),
      expectedWhenHappened: () => "delivered",
    },
  ],
};

export const eventsDrivers = drivers;
