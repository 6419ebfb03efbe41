// The dashboard's live-event routes (what src/app/api/{projects/[id]/,}events/route.ts run) against the real API
// on a real database, with signed tokens: when the person loses a project or their token expires, the API ends
// its stream, and the dashboard passes the end on to the browser (`access_ended`) instead of hiding it; on the
// merged stream only the lost project leaves, the others keep coming.
import type { Project } from "@taskflow/contracts";
import { eventAccessRecheckMs } from "@taskflow/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readEventStream } from "../../api/test/support/sse-client.ts";
import { startTestApi, type TestApi } from "../../api/test/support/test-api.ts";
import { mergedLiveStream, projectLiveStream } from "../src/lib/live-streams.ts";

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
}, 120_000);
afterAll(async () => {
  await api?.close();
});

const slackMs = 2_500;

async function project(token: string, name: string): Promise<Project> {
  return (await api.call<Project>("POST", "/api/projects", { token, body: { name } })).body;
}

async function addMember(token: string, projectId: string, workerId: string) {
  const added = await api.call("POST", `/api/projects/${projectId}/members`, {
    token,
    body: { workerId, role: "member" },
  });
  expect(added.status).toBe(201);
}

async function task(token: string, projectId: string, title: string) {
  await api.call("POST", `/api/projects/${projectId}/tasks`, { token, body: { title } });
}

/** What the browser reads from one of the dashboard's routes. */
function browserSide(response: Response, controller: AbortController) {
  expect(response.status).toBe(200);
  return readEventStream(response, controller);
}

async function team() {
  const orgId = api.newTenant();
  const owner = await api.signIn({ orgId, orgRole: "owner" });
  const bob = await api.signIn({ orgId, orgRole: "member" });
  return { orgId, owner, bob };
}

describe("one project's stream, through the dashboard", () => {
  it("passes the API's access_ended (lost) on when the person is removed, and nothing written after it", async () => {
    const { owner, bob } = await team();
    const watched = await project(owner.token, "Watched");
    await addMember(owner.token, watched.id, bob.workerId);
    const controller = new AbortController();
    const stream = browserSide(
      await projectLiveStream({
        apiUrl: api.baseUrl,
        accessToken: bob.token,
        projectId: watched.id,
        since: Date.now(),
        signal: controller.signal,
      }),
      controller,
    );
    await task(owner.token, watched.id, "before");
    await stream.waitFor(1);

    await api.call("DELETE", `/api/projects/${watched.id}/members/${bob.workerId}`, { token: owner.token });
    await task(owner.token, watched.id, "secret");
    await stream.waitForEnd(eventAccessRecheckMs + slackMs);
    const last = stream.events.at(-1);
    expect(last?.event).toBe("access_ended");
    expect(JSON.parse(last?.data ?? "{}")).toMatchObject({ reason: "lost" });
    expect(stream.events.some((e) => e.data.includes("secret"))).toBe(false);

    // The browser reconnects once; the dashboard answers the API's 404 as a problem, which EventSource does not retry.
    const again = await projectLiveStream({
      apiUrl: api.baseUrl,
      accessToken: bob.token,
      projectId: watched.id,
      signal: new AbortController().signal,
    });
    expect(again.status).toBe(404);
    expect(again.headers.get("content-type")).toBe("application/problem+json");
  });
});

describe("the merged stream of several projects (home, agent pages)", () => {
  it("drops the lost project only: access_ended is passed on, the other project's changes keep coming", async () => {
    const { owner, bob } = await team();
    const lost = await project(owner.token, "Lost");
    const kept = await project(owner.token, "Kept");
    await addMember(owner.token, lost.id, bob.workerId);
    await addMember(owner.token, kept.id, bob.workerId);
    const controller = new AbortController();
    const stream = browserSide(
      await mergedLiveStream({
        apiUrl: api.baseUrl,
        accessToken: bob.token,
        projectIds: [lost.id, kept.id],
        since: Date.now(),
        signal: controller.signal,
      }),
      controller,
    );
    await task(owner.token, lost.id, "one");
    await task(owner.token, kept.id, "two");
    await stream.waitFor(2);

    await api.call("DELETE", `/api/projects/${lost.id}/members/${bob.workerId}`, { token: owner.token });
    await expect
      .poll(
        () => stream.events.filter((e) => e.event === "access_ended").map((e) => JSON.parse(e.data).reason),
        {
          timeout: eventAccessRecheckMs + slackMs,
        },
      )
      .toEqual(["lost"]);
    const before = stream.events.length;
    await task(owner.token, kept.id, "three");
    await stream.waitFor(before + 1);
    expect(stream.events.at(-1)).toMatchObject({ event: "message", data: "change" });
    expect(stream.ended()).toBe(false);
    await stream.close();
  });

  it("ends when the token expires (every project's stream has), so the browser reconnects with a renewed one", async () => {
    const { orgId, owner, bob } = await team();
    const a = await project(owner.token, "A");
    const b = await project(owner.token, "B");
    await addMember(owner.token, a.id, bob.workerId);
    await addMember(owner.token, b.id, bob.workerId);
    const exp = Math.floor(Date.now() / 1000) + 3;
    const shortLived = await api.issuer.mint({ sub: bob.sub, orgId, orgRole: "member", expiresIn: exp });
    const controller = new AbortController();
    const stream = browserSide(
      await mergedLiveStream({
        apiUrl: api.baseUrl,
        accessToken: shortLived,
        projectIds: [a.id, b.id],
        since: Date.now(),
        signal: controller.signal,
      }),
      controller,
    );
    const endedAt = await stream.waitForEnd(3_000 + slackMs);
    expect(endedAt).toBeGreaterThanOrEqual(exp * 1000);
    const ends = stream.events
      .filter((e) => e.event === "access_ended")
      .map((e) => JSON.parse(e.data).reason);
    expect(ends).toEqual(["expired", "expired"]);
    // With the expired token the dashboard's reconnect is refused (the proxy renews the token before it, or
    // drops the session): a 401 problem, which EventSource does not retry.
    const again = await mergedLiveStream({
      apiUrl: api.baseUrl,
      accessToken: shortLived,
      projectIds: [a.id, b.id],
      signal: new AbortController().signal,
    });
    expect(again.status).toBe(401);
  });
});
