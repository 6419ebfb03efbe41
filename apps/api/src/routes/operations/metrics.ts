import { createRoute, z } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import { Counter, collectDefaultMetrics, Histogram, Registry } from "prom-client";
import type { ApiApp, ApiEnvironment } from "../../app-env.ts";

const route = createRoute({
  method: "get",
  path: "/metrics",
  tags: ["Operations"],
  summary: "Prometheus metrics: requests by method, route pattern and status, and their durations",
  description: "The Prometheus text exposition format. Not rate limited and needs no credential.",
  responses: {
    200: {
      description: "The metrics",
      content: { "text/plain": { schema: z.string() } },
    },
  },
});

/** Prometheus metrics of one app instance (a registry of its own, so tests can run several). */
export function createMetrics(options: { processMetrics: boolean }) {
  const registry = new Registry();
  if (options.processMetrics) collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: "taskflow_http_requests_total",
    help: "HTTP requests by method, route and status",
    labelNames: ["method", "route", "status"] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: "taskflow_http_request_duration_seconds",
    help: "HTTP request duration by method and route",
    labelNames: ["method", "route"] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });

  const measure: MiddlewareHandler<ApiEnvironment> = async (c, next) => {
    const started = performance.now();
    await next();
    // The route pattern, never the raw path: ids would explode the label set.
    const route = routePath(c) || "unmatched";
    requests.inc({ method: c.req.method, route, status: String(c.res.status) });
    duration.observe({ method: c.req.method, route }, (performance.now() - started) / 1000);
  };

  const register = (app: ApiApp): void => {
    app.openapi(route, async (c) =>
      c.text(await registry.metrics(), 200, { "content-type": registry.contentType }),
    );
  };
  return { measure, register, registry };
}
