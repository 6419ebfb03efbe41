import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import {
  AgentDispatcher,
  eventsChannel,
  InboxHub,
  inboxChannel,
  type OutboxSettings,
  ProjectEventHub,
  type TaskflowSchema,
  WebhookDispatcher,
  type WebhookDispatcherOptions,
  webhooksChannel,
} from "@taskflow/core";
import { createTaskflowTestDatabase } from "@taskflow/core/testing";
import { notificationChannel } from "@taskflow/db";
import type { TestDatabase } from "@taskflow/db/testing";
import { createAccessTokenVerifier, type RevokedSubjects } from "@taskflow/resource-auth";
import { type MintOptions, startTestIssuer, type TestIssuer } from "@taskflow/resource-auth/testing";
import { type Logger, pino } from "pino";
import { createApiApp } from "../../src/app.ts";
import { type RateLimitSettings, startRateLimits } from "../../src/limits/rate-limit.ts";

export const testAudience = "http://taskflow-api.test";
export const dashboardClientId = "taskflow-dashboard-test";
/** Signs the test API's unsubscribe links (NOTIFICATION_SECRET). */
export const testNotificationSecret = "test-notification-secret-0123456789abcdef";
export const testDashboardUrl = "http://dashboard.test";

export interface CallOptions {
  token?: string;
  body?: unknown;
  /** Send this raw string as the body instead of JSON-encoding `body`. */
  rawBody?: string;
  headers?: Record<string, string>;
}

export interface CallResult<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

/**
 * The real API app on a loopback port, over its own migrated database, with a test issuer for
 * tokens. One per test file; `close()` in afterAll.
 */
export interface SharedTestParts {
  database: TestDatabase<TaskflowSchema>;
  issuer: TestIssuer;
}

export interface TestApiOptions {
  /** Loopback receivers are allowed in tests unless a test asks for the production default (false). */
  allowPrivateTargets?: boolean;
  /** The webhook dispatcher's settings (fast retries by default), or false for none. */
  webhookDispatcher?: WebhookDispatcherOptions | false;
  /** The agent dispatcher's settings (fast retries by default), or false for none. */
  agentDispatcher?: Partial<OutboxSettings> | false;
  /** DELEGATION_MAX_DEPTH (the domain's default, 5, when left out). */
  delegationMaxDepth?: number;
  /** Trust this identity provider's tokens (e.g. a real SSO) instead of the test issuer's. */
  tokenIssuer?: { issuer: string; jwksUrl: string };
  /** Rate limits (none unless given). */
  rateLimits?: RateLimitSettings;
  /** Where the app logs (silent unless given). */
  logger?: Logger;
  /** The SSO's revocation feed as the app reads it (none unless given). */
  isSubjectRevoked?: (sub: string, issuedAt: number) => boolean;
  /** The SSO's revocation feed as start-api wires it: for the token verifier and, unless given, isSubjectRevoked. */
  revokedSubjects?: Pick<RevokedSubjects, "isRevoked">;
}

export async function startTestApi(shared?: SharedTestParts, options: TestApiOptions = {}) {
  const database = shared?.database ?? (await createTaskflowTestDatabase());
  const issuer = shared?.issuer ?? (await startTestIssuer({ audience: testAudience }));
  const events = new ProjectEventHub(database.db);
  const notifications = notificationChannel(
    database.pglite ? { pglite: database.pglite } : { url: database.url as string },
    eventsChannel,
  );
  await notifications.listen(events.onNotification);
  const allowPrivateTargets = options.allowPrivateTargets ?? true;
  const dispatcher =
    options.webhookDispatcher === false
      ? undefined
      : new WebhookDispatcher(database.db, {
          allowPrivateTargets,
          retryBaseMs: 50,
          retryCapMs: 200,
          maxAttempts: 3,
          pollIntervalMs: 1_000,
          ...options.webhookDispatcher,
        });
  const webhookNotifications = notificationChannel(
    database.pglite ? { pglite: database.pglite } : { url: database.url as string },
    webhooksChannel,
  );
  // Agent dispatches, as fast as the webhooks' by default, woken on the same channel.
  const agentDispatcher =
    options.agentDispatcher === false
      ? undefined
      : new AgentDispatcher(database.db, {
          allowPrivateTargets,
          retryBaseMs: 50,
          retryCapMs: 200,
          maxAttempts: 3,
          pollIntervalMs: 1_000,
          ...options.agentDispatcher,
        });
  if (dispatcher || agentDispatcher) {
    await webhookNotifications.listen(() => {
      dispatcher?.onNotification();
      agentDispatcher?.onNotification();
    });
    dispatcher?.start();
    agentDispatcher?.start();
  }
  const logger = options.logger ?? pino({ level: "silent" });
  // Counted in this instance and shared through the database, as startApi runs them.
  const rateLimits = options.rateLimits && startRateLimits(database.db, options.rateLimits, logger);
  const inbox = new InboxHub();
  const inboxNotifications = notificationChannel(
    database.pglite ? { pglite: database.pglite } : { url: database.url as string },
    inboxChannel,
  );
  await inboxNotifications.listen(inbox.onNotification);
  const app = createApiApp({
    config: { allowedOrigins: ["http://dashboard.test"], dashboardClientId },
    db: database.db,
    ping: database.ping,
    verifyAccessToken: createAccessTokenVerifier({
      issuer: options.tokenIssuer?.issuer ?? issuer.issuer,
      jwksUrl: options.tokenIssuer?.jwksUrl ?? issuer.jwksUrl,
      audience: testAudience,
      ...(options.revokedSubjects ? { revokedSubjects: options.revokedSubjects } : {}),
    }),
    events,
    inbox,
    unsubscribe: { secret: testNotificationSecret, dashboardUrl: testDashboardUrl },
    logger,
    webhooks: { allowPrivateTargets },
    ...(rateLimits ? { rateLimits } : {}),
    ...subjectRevoked(options),
    ...(options.delegationMaxDepth ? { delegationMaxDepth: options.delegationMaxDepth } : {}),
  });
  const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  async function call<T = unknown>(
    method: string,
    path: string,
    options: CallOptions = {},
  ): Promise<CallResult<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined;
    if (options.rawBody !== undefined) body = options.rawBody;
    else if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined && !headers["content-type"]) headers["content-type"] = "application/json";
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body } : {}),
    });
    const text = await response.text();
    let parsed: unknown = text;
    if (text && /json/.test(response.headers.get("content-type") ?? "")) parsed = JSON.parse(text);
    return { status: response.status, headers: response.headers, body: parsed as T };
  }

  /** A fresh organization (tenant) id, so tests in one file never see each other's data. */
  const newTenant = () => `org-${randomUUID()}`;

  /** A person signed in through the SSO: a token, and their worker (created by the first request). */
  async function signIn(options: MintOptions & { orgId: string }) {
    const sub = options.sub ?? randomUUID();
    const token = await issuer.mint({ ...options, sub });
    const me = await call<{ id: string; handle: string }>("GET", "/api/workers/me", { token });
    return {
      token,
      sub,
      workerId: me.status === 200 ? me.body.id : "",
      handle: me.status === 200 ? me.body.handle : "",
    };
  }

  return {
    baseUrl,
    call,
    issuer,
    database,
    db: database.db,
    events,
    inbox,
    newTenant,
    signIn,
    /** This instance's rate-limit counter (when given limits): `sync()` shares its counts now. */
    rateLimiter: rateLimits?.limiter,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Event streams stay open until their clients go: end them with the suite.
        if ("closeAllConnections" in server) server.closeAllConnections();
      });
      await dispatcher?.stop();
      await rateLimits?.limiter.stop();
      await agentDispatcher?.stop();
      await webhookNotifications.close();
      await notifications.close();
      await inboxNotifications.close();
      // A second instance over the same database leaves closing it to the first.
      if (!shared) {
        await issuer.close();
        await database.close();
      }
    },
  };
}

export type TestApi = Awaited<ReturnType<typeof startTestApi>>;

/** isSubjectRevoked as given, or read from the revocation feed as start-api reads it. */
export function subjectRevoked(options: Pick<TestApiOptions, "isSubjectRevoked" | "revokedSubjects">): {
  isSubjectRevoked?: (sub: string, issuedAt: number) => boolean;
} {
  const feed = options.revokedSubjects;
  if (options.isSubjectRevoked) return { isSubjectRevoked: options.isSubjectRevoked };
  return feed ? { isSubjectRevoked: (sub, issuedAt) => feed.isRevoked(sub, issuedAt) } : {};
}
