import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dashboardClientId, startTestApi, type TestApi } from "./support/test-api.ts";

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

describe("who may call the API", () => {
  it("refuses a request without a credential with 401 and a problem", async () => {
    const res = await api.call<{ status: number; code: string }>("GET", "/api/projects");
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect(res.body).toMatchObject({ status: 401, code: "unauthenticated" });
  });

  it.each([
    ["signed by a key the SSO never published", { foreignKey: true }],
    ["expired", { expiresIn: Math.floor(Date.now() / 1000) - 60 }],
    ["for another audience (an ID token, say)", { audience: "taskflow-dashboard" }],
    ["from another issuer", { issuer: "https://evil.example" }],
  ])("refuses a token %s", async (_label, options) => {
    const token = await api.issuer.mint({ orgId: api.newTenant(), ...options });
    const res = await api.call("GET", "/api/projects", { token });
    expect(res.status).toBe(401);
  });

  it("refuses a token without an organization", async () => {
    const token = await api.issuer.mint({ orgId: "", extra: { org_id: undefined } });
    const res = await api.call("GET", "/api/projects", { token });
    expect(res.status).toBe(401);
  });

  it("refuses garbage and malformed agent keys", async () => {
    for (const token of ["garbage", "tf_short", `tf_${"a".repeat(12)}_${"b".repeat(43)}`]) {
      const res = await api.call("GET", "/api/projects", { token });
      expect(res.status).toBe(401);
    }
  });

  it("creates one worker for a person however many first requests race", async () => {
    const tenant = api.newTenant();
    const token = await api.issuer.mint({ orgId: tenant, sub: "racer" });
    const results = await Promise.all(
      Array.from({ length: 8 }, () => api.call<{ id: string }>("GET", "/api/workers/me", { token })),
    );
    expect(new Set(results.map((r) => r.status))).toEqual(new Set([200]));
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    const projects = await api.call<unknown[]>("GET", "/api/projects", { token });
    expect(projects.body).toHaveLength(1);
  });

  it("audits requests through the dashboard's client with channel web", async () => {
    const tenant = api.newTenant();
    const viaDashboard = await api.issuer.mint({ orgId: tenant, azp: dashboardClientId });
    await api.call("POST", "/api/projects", { token: viaDashboard, body: { name: "From the web" } });
    const rows = await api.database.db.query.auditLog.findMany({
      where: (a, { and, eq }) => and(eq(a.tenantId, tenant), eq(a.action, "project.created")),
    });
    const channels = rows.map((r) => r.channel);
    expect(channels).toContain("web");
  });

  it("never answers with a stack trace", async () => {
    const res = await api.call<string>("GET", "/api/projects/%ZZ", {
      token: await api.issuer.mint({ orgId: api.newTenant() }),
    });
    expect(res.status).toBeLessThan(500);
    expect(JSON.stringify(res.body)).not.toMatch(/at .+\.ts:\d+/);
  });
});

describe("operations endpoints", () => {
  it("is alive and ready with migrations applied", async () => {
    expect((await api.call("GET", "/health")).status).toBe(200);
    const ready = await api.call<{ checks: Record<string, string> }>("GET", "/health/ready");
    expect(ready.status).toBe(200);
    expect(ready.body.checks).toEqual({ database: "ok", migrations: "ok", process: "ok" });
  });

  it("publishes a complete OpenAPI 3.1 document and local docs", async () => {
    const doc = await api.call<{
      openapi: string;
      paths: Record<string, unknown>;
      components: { securitySchemes: object };
    }>("GET", "/openapi.json");
    expect(doc.body.openapi).toBe("3.1.0");
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining(["/api/projects", "/api/projects/{id}"]),
    );
    expect(Object.keys(doc.body.components.securitySchemes)).toEqual([
      "accessToken",
      "personalToken",
      "agentKey",
    ]);
    const docs = await api.call<string>("GET", "/docs");
    expect(docs.body).toContain("/docs/assets/swagger-ui-bundle.js");
    expect(docs.body).not.toMatch(/https?:\/\//);
    const bundle = await fetch(`${api.baseUrl}/docs/assets/swagger-ui-bundle.js`);
    expect(bundle.status).toBe(200);
  });

  it("declares what the /api middleware does on every route it applies to, and /metrics", async () => {
    type Operation = {
      parameters?: { name: string; in: string }[];
      requestBody?: unknown;
      responses: Record<string, { content?: Record<string, unknown> }>;
    };
    const doc = await api.call<{ paths: Record<string, Record<string, Operation>> }>("GET", "/openapi.json");
    const missing: string[] = [];
    let changing = 0;
    let withBody = 0;
    for (const [path, item] of Object.entries(doc.body.paths)) {
      if (!path.startsWith("/api/")) continue;
      for (const [method, op] of Object.entries(item)) {
        const where = `${method.toUpperCase()} ${path}`;
        const problem = (status: string) => op.responses[status]?.content?.["application/problem+json"];
        if (["post", "patch", "put", "delete"].includes(method)) {
          changing += 1;
          const key = op.parameters?.find(
            (p) => p.in === "header" && p.name.toLowerCase() === "idempotency-key",
          );
          if (!key) missing.push(`${where}: Idempotency-Key header`);
          if (!problem("422")) missing.push(`${where}: 422 (key reused with another request)`);
          if (!problem("409")) missing.push(`${where}: 409 (first request still running)`);
        }
        if (op.requestBody) {
          withBody += 1;
          if (!problem("413")) missing.push(`${where}: 413 (body too large)`);
        }
      }
    }
    expect(missing).toEqual([]);
    expect(changing).toBeGreaterThan(30);
    expect(withBody).toBeGreaterThan(20);
    const metrics = doc.body.paths["/metrics"]?.get;
    expect(metrics?.responses["200"]?.content?.["text/plain"]).toBeDefined();
  });

  it("exposes Prometheus metrics labelled by route pattern", async () => {
    const metrics = await api.call<string>("GET", "/metrics");
    expect(metrics.body).toContain('taskflow_http_requests_total{method="GET",route="/health",status="200"}');
  });
});
