import { serve } from "@hono/node-server";
import {
  AgentDispatcher,
  eventsChannel,
  InboxHub,
  inboxChannel,
  migrationsFolder,
  migrationsLockId,
  NotificationScheduler,
  notificationLeaderLockId,
  ProjectEventHub,
  renameEmailDerivedHandles,
  schema,
  startLeaseSweeper,
  startStaleRunSweeper,
  startVoidedTokenSweeper,
  type TaskflowSchema,
  WebhookDispatcher,
  webhooksChannel,
} from "@taskflow/core";
import {
  databaseLocation,
  holdLeadership,
  notificationChannel,
  type OpenDatabase,
  openDatabase,
  runMigrations,
} from "@taskflow/db";
import { createAccessTokenVerifier, pollRevokedSubjects } from "@taskflow/resource-auth";
import { closeServer, stopKeepingAlive } from "@taskflow/service-env";
import { createApiApp } from "./app.ts";
import type { ApiConfig } from "./env.ts";
import { startRateLimits } from "./limits/rate-limit.ts";
import { createLogger, flushLog } from "./logger.ts";
import { createMailTransport } from "./notifications/mail-transport.ts";
import { notificationSecret } from "./notifications/notification-secret.ts";

/**
 * Slow or idle clients cannot hold a connection: the headers must arrive within `headersMs`, the whole
 * request within `requestMs` (answered 408, then closed), and an idle keep-alive connection closes
 * after `keepAliveMs` (longer than a load balancer's idle timeout, so it is the balancer that closes).
 */
export function serverTimeouts(timeouts: ApiConfig["timeouts"]) {
  return {
    headersTimeout: timeouts.headersMs,
    requestTimeout: timeouts.requestMs,
    keepAliveTimeout: timeouts.keepAliveMs,
    // How often expired headers and requests are looked for (Node's default is 30 s).
    connectionsCheckingInterval: Math.min(1000, timeouts.headersMs),
  };
}

export interface RunningApi {
  url: string;
  /** The open database, for a second transport in the same process (the embedded MCP server). */
  database: OpenDatabase<TaskflowSchema>;
  /** Readiness false, finish in-flight requests, close the pool. */
  stop(): Promise<void>;
}

/** Opens the database (migrating it when configured), builds the app and listens. */
export async function startApi(config: ApiConfig): Promise<RunningApi> {
  const logger = createLogger(config.logLevel);
  const location = databaseLocation(config.database);
  const database = await openDatabase(location, schema);
  if (config.migrateOnStart) {
    await runMigrations({
      database: database.pglite ?? (config.database.url as string),
      migrationsFolder,
      lockId: migrationsLockId,
      onProgress: (message) => logger.info(message),
    });
  }
  // People's handles that earlier releases made of their email address are made again from their
  // names (core's rename-email-handles.ts): agents read handles. A database not migrated yet is
  // the readiness probe's business, not a reason to stop.
  await renameEmailDerivedHandles(database.db).then(
    (renamed) => renamed > 0 && logger.info({ renamed }, "handles made of email addresses renamed"),
    (error) => logger.warn({ err: error }, "handles made of email addresses could not be renamed yet"),
  );
  const events = new ProjectEventHub(database.db);
  const notifications = notificationChannel(
    database.pglite ? { pglite: database.pglite } : { url: config.database.url as string },
    eventsChannel,
    (error) => logger.warn({ err: error }, "event notifications interrupted; reconnecting"),
  );
  await notifications.listen(events.onNotification);
  // A banned or deleted person's tokens end within one poll (the SSO's revocation feed).
  const revokedSubjects = pollRevokedSubjects({
    ...config.ssoRevocations,
    onError: (error) =>
      logger.warn({ err: error }, "the SSO's revocation feed cannot be read; what is known stays in force"),
  });
  // Webhook deliveries leave from every replica, woken by the outbox trigger and by polling, each while
  // its owner may receive the project's events (a banned owner's too, through the same feed).
  const webhooks = new WebhookDispatcher(database.db, {
    allowPrivateTargets: config.webhooks.allowPrivateTargets,
    isSubjectRevoked: revokedSubjects.isRevoked,
    onError: (error) => logger.warn({ err: error }, "webhook dispatch failed; retrying on the next poll"),
  });
  const webhookNotifications = notificationChannel(
    database.pglite ? { pglite: database.pglite } : { url: config.database.url as string },
    webhooksChannel,
    (error) => logger.warn({ err: error }, "webhook notifications interrupted; reconnecting"),
  );
  // Agent dispatches leave the same way, woken on the same channel.
  const dispatches = new AgentDispatcher(database.db, {
    allowPrivateTargets: config.webhooks.allowPrivateTargets,
    onError: (error) => logger.warn({ err: error }, "agent dispatch failed; retrying on the next poll"),
  });
  await webhookNotifications.listen(() => {
    webhooks.onNotification();
    dispatches.onNotification();
  });
  webhooks.start();
  dispatches.start();
  // Quiet runs are marked stale; every replica sweeps (rows another holds are skipped).
  const staleRuns = startStaleRunSweeper(database.db, {
    staleSeconds: config.runs.staleSeconds,
    onError: (error) => logger.warn({ err: error }, "stale-run sweep failed; retrying on the next round"),
  });
  // Lapsed claims return to the pool; every replica sweeps (rows another holds are skipped).
  const leaseSweeper = startLeaseSweeper(database.db, {
    onError: (error) => logger.warn({ err: error }, "lease sweep failed; retrying on the next round"),
  });
  // Counted in this process, shared with the other replicas in the background (limits/rate-limit.ts).
  const rateLimits = startRateLimits(database.db, config.rateLimits, logger);
  // Inboxes: live on every replica; reminders and mail on the one replica that leads (notifications/).
  const inbox = new InboxHub();
  const mail = createMailTransport(config.notifications.mail);
  const secret = notificationSecret(config.notifications.secret, config.notifications.dataDir);
  const leadership = holdLeadership(
    database.pglite ? { pglite: database.pglite } : { url: config.database.url as string },
    notificationLeaderLockId,
    {
      onChange: (leader) =>
        logger.info(
          { leader },
          leader ? "leading the notification scheduler" : "no longer leading the notification scheduler",
        ),
      onError: (error) =>
        logger.warn({ err: error }, "the scheduler's leadership connection failed; trying again"),
    },
  );
  const scheduler = new NotificationScheduler(database.db, {
    isLeader: leadership.isLeader,
    send: mail.send,
    links: {
      dashboardUrl: config.notifications.dashboardUrl,
      apiUrl: config.notifications.publicUrl,
      secret,
    },
    digestHour: config.notifications.digestHour,
    intervalMs: config.notifications.tickSeconds * 1000,
    onError: (error) => logger.warn({ err: error }, "notification round failed; retrying on the next one"),
  });
  const inboxNotifications = notificationChannel(
    database.pglite ? { pglite: database.pglite } : { url: config.database.url as string },
    inboxChannel,
    (error) => logger.warn({ err: error }, "inbox notifications interrupted; reconnecting"),
  );
  await inboxNotifications.listen((payload) => {
    inbox.onNotification(payload);
    scheduler.onNotification();
  });
  scheduler.start();
  if (mail.kind === "none") logger.info("notification mail is off: SMTP_HOST is not set");
  // And their personal access tokens, for good, used or not: the feed forgets a ban within minutes.
  const voidedTokenSweeper = startVoidedTokenSweeper(database.db, revokedSubjects.isRevoked, {
    onError: (error) =>
      logger.warn(
        { err: error },
        "revoking voided personal access tokens failed; retrying on the next round",
      ),
  });
  let accepting = true;
  const app = createApiApp({
    config,
    db: database.db,
    ping: database.ping,
    verifyAccessToken: createAccessTokenVerifier({
      ...config.sso,
      revokedSubjects,
      onKeyRefreshError: (error) =>
        logger.warn(
          { err: error },
          "the SSO's signing keys could not be refreshed; the known ones stay in use",
        ),
    }),
    // Personal access tokens are not JWTs: the same feed reaches them through resolveBearer.
    isSubjectRevoked: revokedSubjects.isRevoked,
    events,
    inbox,
    unsubscribe: { secret, dashboardUrl: config.notifications.dashboardUrl },
    logger,
    webhooks: config.webhooks,
    claims: config.claims,
    delegationMaxDepth: config.delegationMaxDepth,
    rateLimits,
    servedHosts: config.servedHosts,
    accepting: () => accepting,
    processMetrics: true,
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve(
      {
        fetch: app.fetch,
        port: config.port,
        hostname: config.host,
        serverOptions: serverTimeouts(config.timeouts),
      },
      () => resolve(s),
    );
    s.once("error", reject);
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  const url = `http://${config.host === "0.0.0.0" ? "localhost" : config.host}:${port}`;
  logger.info({ url, database: database.engine }, "taskflow-api listening");

  return {
    url,
    database,
    stop: async () => {
      // Readiness turns false first and the listener stays open for a moment, so the load
      // balancer stops sending new requests before the port closes (none is refused mid-way);
      // clients on kept-alive connections are told to close them, so their next request goes
      // to another replica instead of being cut off when this one closes.
      accepting = false;
      stopKeepingAlive(server);
      await new Promise((resolve) => setTimeout(resolve, config.shutdownDelaySeconds * 1000));
      events.close();
      inbox.close();
      await closeServer(server);
      await leaseSweeper.stop();
      await rateLimits.limiter.stop();
      await voidedTokenSweeper.stop();
      revokedSubjects.stop();
      await scheduler.stop();
      await leadership.stop();
      await inboxNotifications.close();
      await mail.close();
      await webhooks.stop();
      await staleRuns.stop();
      await dispatches.stop();
      await webhookNotifications.close();
      await notifications.close();
      await database.close();
      logger.info("taskflow-api stopped");
      // Log lines go out in batches (logger.ts): the last ones are written before the process exits.
      await flushLog(logger);
    },
  };
}
