import { serve } from "@hono/node-server";
import { eventsChannel, ProjectEventHub, schema, type TaskflowSchema } from "@taskflow/core";
import { databaseLocation, notificationChannel, type OpenDatabase, openDatabase } from "@taskflow/db";
import { createAccessTokenVerifier, pollRevokedSubjects } from "@taskflow/resource-auth";
import { closeServer, stopKeepingAlive } from "@taskflow/service-env";
import { createMcpApp } from "./app.ts";
import type { McpConfig } from "./env.ts";
import { startRateLimits } from "./http/limits.ts";
import { createLogger } from "./logger.ts";

export interface RunningMcp {
  url: string;
  /** Readiness false, keep serving for the shutdown delay, finish in-flight requests, close the pool. */
  stop(): Promise<void>;
}

/**
 * Listens for MCP over HTTP. Given an open database it shares it (the embedded default runs the
 * API and the MCP server in one process on one PGlite); otherwise it opens its own. Migrations
 * belong to the API.
 */
export async function startMcp(
  config: McpConfig,
  shared?: OpenDatabase<TaskflowSchema>,
): Promise<RunningMcp> {
  const logger = createLogger(config.logLevel);
  const database = shared ?? (await openDatabase(databaseLocation(config.database), schema));
  // A banned or deleted person's tokens end within one poll (the SSO's revocation feed).
  const revokedSubjects = pollRevokedSubjects({
    ...config.ssoRevocations,
    onError: (error) =>
      logger.warn({ err: error }, "the SSO's revocation feed cannot be read; what is known stays in force"),
  });
  // Counted in this process, shared with the other replicas in the background (http/limits.ts).
  const rateLimits = startRateLimits(database.db, config.rateLimits, logger);
  // Live changes wake tools that wait for a person's answer (taskflow_ask_and_wait) at once, on every replica.
  const events = new ProjectEventHub(database.db);
  const notifications = notificationChannel(
    database.pglite ? { pglite: database.pglite } : { url: config.database.url as string },
    eventsChannel,
    (error) => logger.warn({ err: error }, "event notifications interrupted; reconnecting"),
  );
  await notifications.listen(events.onNotification);
  let accepting = true;
  const app = createMcpApp({
    events,
    config,
    db: database.db,
    ping: database.ping,
    verifyAccessToken: createAccessTokenVerifier({
      ...config.sso,
      revokedSubjects,
      audience: config.resourceUrl,
      onKeyRefreshError: (error) =>
        logger.warn(
          { err: error },
          "the SSO's signing keys could not be refreshed; the known ones stay in use",
        ),
    }),
    // Personal access tokens are not JWTs: the same feed reaches them through resolveBearer.
    isSubjectRevoked: revokedSubjects.isRevoked,
    logger,
    accepting: () => accepting,
    rateLimits,
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve(
      {
        fetch: app.fetch,
        port: config.port,
        hostname: config.host,
        // Slow or idle clients cannot hold a connection (as the API: headers, whole request, idle).
        serverOptions: {
          headersTimeout: config.timeouts.headersMs,
          requestTimeout: config.timeouts.requestMs,
          keepAliveTimeout: config.timeouts.keepAliveMs,
          connectionsCheckingInterval: Math.min(1000, config.timeouts.headersMs),
        },
      },
      () => resolve(s),
    );
    s.once("error", reject);
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  const url = `http://${config.host === "0.0.0.0" ? "localhost" : config.host}:${port}`;
  logger.info({ url }, "taskflow-mcp listening");
  return {
    url,
    stop: async () => {
      // Readiness turns false first and the listener keeps serving for SHUTDOWN_DELAY_SECONDS, so
      // the load balancer stops sending before the port closes; then requests already received
      // are answered (server.close waits for them) and the pool closes.
      accepting = false;
      stopKeepingAlive(server);
      await new Promise((resolve) => setTimeout(resolve, config.shutdownDelaySeconds * 1000));
      // Live streams never finish by themselves: closing the hub ends every `subscriptions/listen` with the
      // graceful close (its empty result; the client listens again elsewhere) and wakes waiting tools, so
      // the server can close.
      events.close();
      await closeServer(server);
      revokedSubjects.stop();
      await rateLimits.limiter.stop();
      await notifications.close();
      if (!shared) await database.close();
      logger.info("taskflow-mcp stopped");
    },
  };
}
