import type { Hono } from "hono";

export interface Readiness {
  /** False from SIGTERM on, while in-flight requests finish. */
  accepting(): boolean;
  /** The shared database answers (and holds the API's migrations). */
  databaseReady(): Promise<{ database: boolean; migrations: boolean }>;
}

/**
 * `/health` is liveness: the process answers (503 only while it drains, so a probe of this path
 * alone still takes a stopping replica out of rotation). A database outage must not restart the
 * process, so liveness never asks the database. `/health/ready` is readiness, as the API's: the
 * database reachable, its migrations applied, not draining.
 */
export function registerHealth(app: Hono, readiness: Readiness): void {
  app.get("/health", (c) =>
    readiness.accepting() ? c.json({ status: "ok" }) : c.json({ status: "draining" }, 503),
  );
  app.get("/health/ready", async (c) => {
    const accepting = readiness.accepting();
    const { database, migrations } = await readiness.databaseReady();
    const checks = {
      database: database ? "ok" : "unreachable",
      migrations: migrations ? "ok" : "pending",
      process: accepting ? "ok" : "draining",
    };
    const ready = accepting && database && migrations;
    return c.json({ status: ready ? "ok" : "unavailable", checks }, ready ? 200 : 503);
  });
}
