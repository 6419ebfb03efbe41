import { createRoute, z } from "@hono/zod-openapi";
import type { ApiApp } from "../../app-env.ts";

const Health = z.object({
  status: z.enum(["ok", "unavailable"]),
  checks: z.record(z.string(), z.string()).optional(),
});

export interface Readiness {
  /** False while the process drains on SIGTERM. */
  accepting(): boolean;
  databaseReachable(): Promise<boolean>;
  migrationsApplied(): Promise<boolean>;
}

const alive = createRoute({
  method: "get",
  path: "/health",
  tags: ["Operations"],
  summary: "Liveness: the process answers",
  responses: { 200: { description: "Alive", content: { "application/json": { schema: Health } } } },
});

const ready = createRoute({
  method: "get",
  path: "/health/ready",
  tags: ["Operations"],
  summary: "Readiness: database reachable, migrations applied, not draining",
  responses: {
    200: { description: "Ready for traffic", content: { "application/json": { schema: Health } } },
    503: { description: "Not ready", content: { "application/json": { schema: Health } } },
  },
});

export function registerHealth(app: ApiApp, readiness: Readiness): void {
  app.openapi(alive, (c) => c.json({ status: "ok" as const }, 200));
  app.openapi(ready, async (c) => {
    const database = await readiness.databaseReachable();
    const migrations = database && (await readiness.migrationsApplied());
    const accepting = readiness.accepting();
    const checks = {
      database: database ? "ok" : "unreachable",
      migrations: migrations ? "ok" : "pending",
      process: accepting ? "ok" : "draining",
    };
    if (database && migrations && accepting) return c.json({ status: "ok" as const, checks }, 200);
    return c.json({ status: "unavailable" as const, checks }, 503);
  });
}
