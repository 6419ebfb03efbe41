// The dashboard's inbox stream (what src/app/api/inbox/events/route.ts runs) and its loaders against the real API:
// the API's events pass through as they are, so the header's badge sees each change; a refused stream becomes a
// problem the browser does not retry.
import type { Project } from "@taskflow/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readEventStream } from "../../api/test/support/sse-client.ts";
import { startTestApi, type TestApi } from "../../api/test/support/test-api.ts";
import { createApiClient } from "../src/lib/api-client.ts";
import {
  loadInbox,
  loadUnreadCount,
  markAllRead,
  markRead,
  saveNotificationSettings,
} from "../src/lib/inbox.ts";
import { inboxLiveStream } from "../src/lib/inbox-stream.ts";

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
}, 120_000);
afterAll(async () => {
  await api?.close();
});

async function team() {
  const orgId = api.newTenant();
  const owner = await api.signIn({ orgId, orgRole: "owner", name: "Olive Owner" });
  const bob = await api.signIn({ orgId, orgRole: "member", name: "Bob" });
  const project = (
    await api.call<Project>("POST", "/api/projects", { token: owner.token, body: { name: "P" } })
  ).body;
  await api.call("POST", `/api/projects/${project.id}/members`, {
    token: owner.token,
    body: { workerId: bob.workerId, role: "member" },
  });
  const assign = (title: string) =>
    api.call("POST", `/api/projects/${project.id}/tasks`, {
      token: owner.token,
      body: { title, assigneeId: bob.workerId },
    });
  return { owner, bob, project, assign };
}

describe("the inbox through the dashboard", () => {
  it("passes the API's inbox events on: the count, each notification, the count again", async () => {
    const { bob, assign } = await team();
    const controller = new AbortController();
    const response = await inboxLiveStream({
      apiUrl: api.baseUrl,
      accessToken: bob.token,
      signal: controller.signal,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const stream = readEventStream(response, controller);
    await stream.waitFor(1);
    await assign("Live through the dashboard");
    const events = await stream.waitFor(3);
    expect(events.map((e) => e.event)).toEqual(["inbox", "notification", "inbox"]);
    expect(JSON.parse(events[2]?.data ?? "{}")).toMatchObject({ unread: 1 });
    await stream.close();
  });

  it("refuses as the API does: an agent's key (403) is passed on as a problem", async () => {
    const orgId = api.newTenant();
    const owner = await api.signIn({ orgId, orgRole: "owner" });
    const agent = await api.call<{ apiKey: { key: string } }>("POST", "/api/agents", {
      token: owner.token,
      body: { handle: "@inboxless", name: "Inboxless", agentType: "bot" },
    });
    const response = await inboxLiveStream({
      apiUrl: api.baseUrl,
      accessToken: agent.body.apiKey.key,
      signal: new AbortController().signal,
    });
    expect(response.status).toBe(403);
    expect(response.headers.get("content-type")).toContain("application/problem+json");
  });

  it("loads, counts, marks read and saves settings as the page and the badge do", async () => {
    const { bob, assign } = await team();
    await assign("One");
    await assign("Two");
    const client = createApiClient(api.baseUrl, bob.token);
    const page = await loadInbox(client, { kind: "assigned" });
    expect(page.ok && page.data.items.map((n) => n.title)).toEqual([
      "Olive Owner assigned you “Two”",
      "Olive Owner assigned you “One”",
    ]);
    expect((await loadUnreadCount(client)).ok).toBe(true);
    const first = page.ok ? page.data.items[0] : undefined;
    expect((await markRead(client, first?.id ?? "")).ok).toBe(true);
    const count = await loadUnreadCount(client);
    expect(count.ok && count.data.unread).toBe(1);
    const all = await markAllRead(client);
    expect(all.ok && all.data.marked).toBe(1);
    const form = new FormData();
    form.set("email.assigned", "off");
    const saved = await saveNotificationSettings(client, form);
    expect(saved.ok && saved.data.kinds.find((k) => k.kind === "assigned")?.email).toBe("off");
  });
});
