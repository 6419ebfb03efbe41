import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApi, type TestApi } from "./support/test-api.ts";

// The API answers CORS itself (src/http/cors.ts): an allowed origin (the test API allows
// http://dashboard.test) may read answers, success or problem alike; any other origin may not.
let api: TestApi;
let token: string;
beforeAll(async () => {
  api = await startTestApi();
  token = (await api.signIn({ orgId: api.newTenant() })).token;
});
afterAll(() => api.close());

const dashboard = "http://dashboard.test";

describe("CORS", () => {
  it("answers a preflight from an allowed origin with what a browser needs", async () => {
    const preflight = await api.call("OPTIONS", "/api/projects", {
      headers: {
        origin: dashboard,
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization,content-type,idempotency-key",
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe(dashboard);
    expect(preflight.headers.get("access-control-allow-methods")).toContain("POST");
    expect(preflight.headers.get("access-control-allow-headers")).toContain("idempotency-key");
    expect(preflight.headers.get("access-control-max-age")).toBe("600");
    expect(preflight.headers.get("x-request-id")).toBeTruthy();
  });

  it("lets an allowed origin read an answer and its exposed headers, a problem too", async () => {
    const list = await api.call("GET", "/api/projects", { token, headers: { origin: dashboard } });
    expect(list.status).toBe(200);
    expect(list.headers.get("access-control-allow-origin")).toBe(dashboard);
    expect(list.headers.get("access-control-expose-headers")).toBe("etag,x-request-id,retry-after");
    expect(list.headers.get("vary")).toMatch(/origin/i);
    expect(list.headers.get("x-request-id")).toBeTruthy();

    const missing = await api.call("GET", "/api/projects/00000000-0000-4000-8000-000000000000", {
      token,
      headers: { origin: dashboard },
    });
    expect(missing.status).toBe(404);
    expect(missing.headers.get("access-control-allow-origin")).toBe(dashboard);

    const unauthenticated = await api.call("GET", "/api/projects", { headers: { origin: dashboard } });
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.headers.get("access-control-allow-origin")).toBe(dashboard);
  });

  it("gives any other origin nothing to read with", async () => {
    const preflight = await api.call("OPTIONS", "/api/projects", {
      headers: { origin: "http://evil.test", "access-control-request-method": "DELETE" },
    });
    expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
    const list = await api.call("GET", "/api/projects", { token, headers: { origin: "http://evil.test" } });
    expect(list.status).toBe(200);
    expect(list.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("keeps the request id a caller sent on the answer", async () => {
    const list = await api.call("GET", "/api/projects", { token, headers: { "x-request-id": "trace-42" } });
    expect(list.headers.get("x-request-id")).toBe("trace-42");
  });
});
