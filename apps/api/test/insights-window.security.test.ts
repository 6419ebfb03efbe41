// Red team (3 December 2026): InsightsQuery bounded the window (at most 366 days, `from` not after `to`) only when
// both ends were sent. `?from=1900-01-01` alone made the API build every day since 1900 (46,358 rows, 4 MB) and the
// database count the cumulative flow of each; `?from=9999-12-31` alone answered 200 with `from` after `to`.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ProblemBody, taskFixtures } from "./support/task-fixtures.ts";
import { startTestApi, type TestApi } from "./support/test-api.ts";

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

describe("an insights window is bounded whichever end is left out", () => {
  it.each(["from=1900-01-01", "from=9999-12-31"])("?%s alone: 422 naming from", async (query) => {
    const { owner, project } = await taskFixtures(api).team();
    const r = await api.call<ProblemBody>("GET", `/api/projects/${project.id}/insights?${query}`, {
      token: owner.token,
    });
    expect(r.status).toBe(422);
    expect(r.body.errors?.map((e) => e.field)).toContain("query.from");
  });

  it("a window of one day long ago, both ends given, is read", async () => {
    const { owner, project } = await taskFixtures(api).team();
    const r = await api.call<{ cumulativeFlow: unknown[] }>(
      "GET",
      `/api/projects/${project.id}/insights?from=1900-01-01&to=1900-01-01&weeks=52`,
      { token: owner.token },
    );
    expect(r.status).toBe(200);
    expect(r.body.cumulativeFlow).toHaveLength(1);
  });
});
