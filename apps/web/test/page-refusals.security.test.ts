// Red-team finding 10 (the dashboard's part): the API's refusals became HTTP 500 pages. A hand-edited cursor on
// /projects/{id}/activity (the API answers 422) and an agent's page opened by an organization member (the API
// answers 403) threw into the error boundary. Driven here against the real API in this process, with the
// dashboard's own client and the functions its pages call.
import type { Project } from "@taskflow/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixtures } from "../../api/test/support/fixtures.ts";
import { startTestApi, type TestApi } from "../../api/test/support/test-api.ts";
import { loadActivityPage } from "../src/lib/activity-page.ts";
import { type ApiClient, createApiClient } from "../src/lib/api-client.ts";
import { ApiProblem, pageData } from "../src/lib/page-data.ts";

let api: TestApi;
let owner: ApiClient;
let member: ApiClient;
let project: Project;
let agentId: string;

beforeAll(async () => {
  api = await startTestApi();
  const orgId = api.newTenant();
  const ada = await api.signIn({ orgId, orgRole: "owner", name: "Ada" });
  const bob = await api.signIn({ orgId, orgRole: "member", name: "Bob" });
  owner = createApiClient(api.baseUrl, ada.token);
  member = createApiClient(api.baseUrl, bob.token);
  const fx = fixtures(api);
  project = await fx.createProject(ada.token, "Watched");
  agentId = (await fx.registerAgent(ada.token, "@watcher")).agent.id;
  await fx.addMember(ada.token, project.id, bob.workerId);
}, 120_000);

afterAll(async () => {
  await api?.close();
});

/** What Next.js makes of notFound(): the error it throws, which renders the not-found page with HTTP 404. */
function httpFallback(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof ApiProblem) return `error boundary (500): ${error.message}`;
    return (error as { digest?: string }).digest;
  }
  return undefined;
}

describe("a page the API refuses is a page, never a 500", () => {
  it("an agent's page opened by an organization member shows the not-found page (404)", async () => {
    const refused = await member.call(`/api/agents/${agentId}`);
    expect(refused.ok ? 200 : refused.status).toBe(403);
    expect(httpFallback(() => pageData(refused))).toBe("NEXT_HTTP_ERROR_FALLBACK;404");
    // The owner still sees it; a fault is still a fault.
    expect(pageData(await owner.call<{ id: string }>(`/api/agents/${agentId}`)).id).toBe(agentId);
    const fault = {
      ok: false as const,
      status: 503,
      problem: { type: "t", title: "Down", status: 503, code: "unavailable" },
    };
    expect(httpFallback(() => pageData(fault))).toMatch(/^error boundary/);
  });

  it("the activity page with a cursor the API refuses says so and offers the newest entries", async () => {
    for (const cursor of ["zzz", "MTIz", "a".repeat(300)]) {
      const page = await loadActivityPage(member, project.id, cursor);
      expect(page).toEqual({ audit: { items: [], nextCursor: null }, cursorRefused: true });
    }
    const newest = await loadActivityPage(member, project.id, undefined);
    expect(newest.cursorRefused).toBe(false);
    expect(newest.audit.items.length).toBeGreaterThan(0);
    // Another organization's project (or none) is still not found, cursor or not.
    const outsider = createApiClient(api.baseUrl, (await api.signIn({ orgId: api.newTenant() })).token);
    let digest: string | undefined;
    await loadActivityPage(outsider, project.id, "zzz").catch((error: { digest?: string }) => {
      digest = error.digest;
    });
    expect(digest).toBe("NEXT_HTTP_ERROR_FALLBACK;404");
  });
});
