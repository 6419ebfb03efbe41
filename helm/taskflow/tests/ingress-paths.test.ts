// Red-team finding 11: the API's Ingress routed path `/` (Prefix), so /metrics (every route's request counts and
// timings) and /health/ready (whether the database answers) were public. Rendered with real helm (prod values),
// and each request path matched the way Kubernetes defines Prefix and Exact matching.
import { describe, expect, it } from "vitest";
import { type K8sObject, parseObjects, template, valueSets } from "./helm.ts";

interface IngressPath {
  path: string;
  pathType: "Prefix" | "Exact" | "ImplementationSpecific";
  backend: { service: { name: string; port: { name: string } } };
}
type Ingress = K8sObject & { spec: { rules: { host: string; http: { paths: IngressPath[] } }[] } };

/** Kubernetes' matching: Exact is the whole path; Prefix matches whole `/`-separated elements. */
function routes(paths: IngressPath[], request: string): boolean {
  return paths.some(({ path, pathType }) => {
    if (pathType === "Exact") return request === path;
    if (pathType !== "Prefix") throw new Error(`${pathType}: matching is up to the controller`);
    if (path === "/") return true;
    const prefix = path.replace(/\/+$/, "");
    return request === prefix || request.startsWith(`${prefix}/`);
  });
}

function ingresses(): Map<string, IngressPath[]> {
  const objects = parseObjects(template(valueSets.prod ?? [])).filter(
    (o) => o.kind === "Ingress",
  ) as Ingress[];
  return new Map(objects.map((o) => [o.metadata.name, o.spec.rules.flatMap((rule) => rule.http.paths)]));
}

describe("what the Ingresses make public (prod values)", () => {
  it("routes the API's public paths only: never /metrics or /health", () => {
    const api = ingresses().get("taskflow-api");
    expect(api).toBeDefined();
    const paths = api ?? [];
    for (const request of [
      "/api/projects",
      "/api/tasks/1/claim",
      "/openapi.json",
      "/docs",
      "/docs/assets/init.js",
    ]) {
      expect(routes(paths, request), request).toBe(true);
    }
    for (const request of [
      "/metrics",
      "/health",
      "/health/ready",
      "/",
      "/openapi.json/x",
      "/apix",
      "/metricsx",
    ]) {
      expect(routes(paths, request), request).toBe(false);
    }
    expect(
      paths.every((p) => p.backend.service.name === "taskflow-api" && p.backend.service.port.name === "http"),
    ).toBe(true);
  });

  it("routes everything of the SSO, the dashboard and the MCP server (none serves /metrics)", () => {
    const all = ingresses();
    for (const name of ["sso-platform", "web-dashboard", "mcp-server"]) {
      expect(
        all.get(name)?.map((p) => [p.path, p.pathType]),
        name,
      ).toEqual([["/", "Prefix"]]);
    }
  });
});
