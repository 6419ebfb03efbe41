import type { Project } from "@taskflow/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApi, type TestApi } from "./support/test-api.ts";

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

const projectCount = async (token: string) =>
  (await api.call<Project[]>("GET", "/api/projects", { token })).body.length;

describe("Idempotency-Key", () => {
  it("answers a retry with the first answer and does the work once", async () => {
    const ada = await api.signIn({ orgId: api.newTenant() });
    const send = () =>
      api.call<Project>("POST", "/api/projects", {
        token: ada.token,
        body: { name: "Once" },
        headers: { "idempotency-key": "create-once-1" },
      });
    const first = await send();
    const retry = await send();
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.body.id).toBe(first.body.id);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    expect(await projectCount(ada.token)).toBe(2); // the default project and this one
  });

  it("refuses the same key with a different body with 422", async () => {
    const ada = await api.signIn({ orgId: api.newTenant() });
    const headers = { "idempotency-key": "same-key" };
    await api.call("POST", "/api/projects", { token: ada.token, body: { name: "A" }, headers });
    const other = await api.call<{ errors: { field: string }[] }>("POST", "/api/projects", {
      token: ada.token,
      body: { name: "B" },
      headers,
    });
    expect(other.status).toBe(422);
    expect(other.body.errors[0]?.field).toBe("header.idempotency-key");
    expect(await projectCount(ada.token)).toBe(2);
  });

  it("keeps callers apart: two people may use the same key", async () => {
    const tenant = api.newTenant();
    const ada = await api.signIn({ orgId: tenant });
    const bob = await api.signIn({ orgId: tenant });
    const headers = { "idempotency-key": "shared" };
    const a = await api.call<Project>("POST", "/api/projects", {
      token: ada.token,
      body: { name: "Mine" },
      headers,
    });
    const b = await api.call<Project>("POST", "/api/projects", {
      token: bob.token,
      body: { name: "Mine" },
      headers,
    });
    expect(a.body.id).not.toBe(b.body.id);
  });

  it("creates one project when the same request races with itself", async () => {
    const ada = await api.signIn({ orgId: api.newTenant() });
    const results = await Promise.all(
      Array.from({ length: 6 }, () =>
        api.call<Project>("POST", "/api/projects", {
          token: ada.token,
          body: { name: "Raced" },
          headers: { "idempotency-key": "race-1" },
        }),
      ),
    );
    const created = results.filter((r) => r.status === 201);
    expect(new Set(created.map((r) => r.body.id)).size).toBe(1);
    expect(results.every((r) => r.status === 201 || r.status === 409)).toBe(true);
    expect(await projectCount(ada.token)).toBe(2);
  });

  it("remembers refusals too, and refuses a malformed key", async () => {
    const ada = await api.signIn({ orgId: api.newTenant() });
    const bad = await api.call("POST", "/api/projects", {
      token: ada.token,
      body: { name: "x" },
      headers: { "idempotency-key": "é".repeat(3) },
    });
    expect(bad.status).toBe(400);
    const headers = { "idempotency-key": "taken-slug" };
    await api.call("POST", "/api/projects", { token: ada.token, body: { name: "Taken", slug: "taken" } });
    const refused = await api.call("POST", "/api/projects", {
      token: ada.token,
      body: { name: "T", slug: "taken" },
      headers,
    });
    const again = await api.call("POST", "/api/projects", {
      token: ada.token,
      body: { name: "T", slug: "taken" },
      headers,
    });
    expect([refused.status, again.status]).toEqual([409, 409]);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
  });
});
