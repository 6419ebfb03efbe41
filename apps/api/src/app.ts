import { randomUUID } from "node:crypto";
import { OpenAPIHono } from "@hono/zod-openapi";
import { storableJsonValueSchema } from "@taskflow/contracts";
import {
  defaultDelegationMaxDepth,
  defaultLeaseSeconds,
  type InboxHub,
  migrationsFolder,
  type ProjectEventHub,
  type TargetPolicy,
  type TaskflowDb,
} from "@taskflow/core";
import { migrationsApplied } from "@taskflow/db";
import type { AccessTokenVerifier } from "@taskflow/resource-auth";
import { isServedHost, requestHost, type ServedHosts } from "@taskflow/service-env";
import { bodyLimit } from "hono/body-limit";
import { secureHeaders } from "hono/secure-headers";
import type { Logger } from "pino";
import type { ApiApp, ApiEnvironment } from "./app-env.ts";
import { authenticate } from "./auth/authenticate.ts";
import type { ApiConfig } from "./env.ts";
import { cors } from "./http/cors.ts";
import { idempotency } from "./idempotency/idempotency.ts";
import { type RateLimits, rateLimits } from "./limits/rate-limit.ts";
import { documentApiMiddleware } from "./openapi/document-middleware.ts";
import { notFoundOrMethodNotAllowed, undeclaredMethods } from "./problems/not-found.ts";
import { onError } from "./problems/on-error.ts";
import { problemResponse } from "./problems/problem-response.ts";
import { validationHook } from "./problems/validation-hook.ts";
import type { ClaimSettings } from "./routes/claims/claim-settings.ts";
import { registerClaimRoutes } from "./routes/claims/index.ts";
import { streamMetrics } from "./routes/events/stream-metrics.ts";
import { registerStreamProjectEvents } from "./routes/events/stream-project-events.ts";
import { registerApiRoutes } from "./routes/index.ts";
import { registerNotificationRoutes } from "./routes/notifications/index.ts";
import { registerUnsubscribe, type UnsubscribeDependencies } from "./routes/notifications/unsubscribe.ts";
import { registerDocs } from "./routes/operations/docs.ts";
import { registerHealth } from "./routes/operations/health.ts";
import { createMetrics } from "./routes/operations/metrics.ts";
import { registerRunRoutes } from "./routes/runs/index.ts";

export interface ApiDependencies {
  config: Pick<ApiConfig, "allowedOrigins" | "dashboardClientId">;
  db: TaskflowDb;
  ping(): Promise<void>;
  verifyAccessToken: AccessTokenVerifier;
  /** Whether the SSO voided a person's credentials issued before a time (its revocation feed): ends their personal access tokens. */
  isSubjectRevoked?: (sub: string, issuedAt: number) => boolean;
  /** Live changes, fed by the database's `taskflow_events` notifications. */
  events: ProjectEventHub;
  /** Live inboxes, fed by the database's `taskflow_inbox` notifications. */
  inbox: InboxHub;
  /** Unsubscribe links in notification mail: the secret that signs them, where the settings page is. */
  unsubscribe: UnsubscribeDependencies;
  logger: Logger;
  /** False once the process starts draining (readiness turns false). */
  accepting?: () => boolean;
  processMetrics?: boolean;
  /** Webhook targets on loopback and private networks are refused unless allowed here. */
  webhooks?: TargetPolicy;
  /** Lease length of claims (LEASE_SECONDS); the domain's default when left out. */
  claims?: ClaimSettings;
  /** Delegation links an agent's chain may have (DELEGATION_MAX_DEPTH); the domain's default when left out. */
  delegationMaxDepth?: number;
  /** Rate limits per client address and per caller (RATE_LIMIT_*, TRUST_PROXY; startRateLimits); none when left out. */
  rateLimits?: RateLimits;
  /** The Host names served (DNS-rebinding guard, config.servedHosts); every Host when left out (in-process tests). */
  servedHosts?: ServedHosts;
}

export const maxBodyBytes = 1024 * 1024;

/** Builds the API from its dependencies; the server and the tests run this same app. */
export function createApiApp(deps: ApiDependencies): ApiApp {
  const app: ApiApp = new OpenAPIHono<ApiEnvironment>({ defaultHook: validationHook });
  const metrics = createMetrics({ processMetrics: deps.processMetrics ?? false });
  const webhookTargets: TargetPolicy = deps.webhooks ?? { allowPrivateTargets: false };

  app.use("*", async (c, next) => {
    const given = c.req.header("x-request-id");
    const requestId = given && /^[\w.-]{1,100}$/.test(given) ? given : randomUUID();
    c.set("requestId", requestId);
    c.set("db", deps.db);
    c.set("webhookTargets", webhookTargets);
    c.set("delegationMaxDepth", deps.delegationMaxDepth ?? defaultDelegationMaxDepth);
    c.set("leaseSeconds", deps.claims?.leaseSeconds ?? defaultLeaseSeconds);
    c.set("logger", deps.logger.child({ requestId }));
    const started = performance.now();
    await next();
    // On the answer once it exists, whoever made it (cors.ts says why not before).
    c.res.headers.set("x-request-id", requestId);
    c.get("logger").info(
      {
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Math.round(performance.now() - started),
      },
      "request",
    );
  });
  // A Host we do not serve is a page on a rebound DNS name (packages/service-env served-hosts.ts): refused first.
  const served = deps.servedHosts;
  if (served) {
    app.use("*", async (c, next) =>
      isServedHost(requestHost(c.req.raw), served)
        ? next()
        : problemResponse(c, "forbidden", {
            detail: "This API does not answer to the host this request names (set ALLOWED_HOSTS to add one).",
          }),
    );
  }
  app.use("*", metrics.measure);
  app.use("*", secureHeaders());
  app.use(
    "/api/*",
    cors({
      origins: deps.config.allowedOrigins,
      allowHeaders: [
        "authorization",
        "content-type",
        "if-match",
        "idempotency-key",
        "last-event-id",
        "x-request-id",
      ],
      exposeHeaders: ["etag", "x-request-id", "retry-after"],
      maxAgeSeconds: 600,
    }),
  );
  const limitBody = bodyLimit({
    maxSize: maxBodyBytes,
    onError: (c) =>
      problemResponse(c, "payload_too_large", { detail: `the body may be at most ${maxBodyBytes} bytes` }),
  });
  // Only a request that announces a body has one to limit; asking any other for its body would
  // build the full web Request of it for nothing (most requests are GETs).
  app.use("/api/*", (c, next) =>
    c.req.header("content-length") === undefined && c.req.header("transfer-encoding") === undefined
      ? next()
      : limitBody(c, next),
  );
  // Rate limits (limits/rate-limit.ts): per client address before authentication, per caller after.
  const limits = deps.rateLimits && rateLimits(deps.rateLimits);
  if (limits) app.use("/api/*", limits.byAddress);
  app.use(
    "/api/*",
    authenticate(deps.verifyAccessToken, deps.config.dashboardClientId, deps.isSubjectRevoked),
  );
  if (limits) app.use("/api/*", limits.byCaller);
  app.use("/api/*", undeclaredMethods(app));
  app.use("/api/*", idempotency);

  registerHealth(app, {
    accepting: deps.accepting ?? (() => true),
    databaseReachable: () =>
      deps.ping().then(
        () => true,
        () => false,
      ),
    migrationsApplied: () => migrationsApplied(deps.db, migrationsFolder),
  });
  metrics.register(app);
  registerDocs(app);
  // One set of stream metrics for every live stream (prom-client refuses a metric registered twice).
  const streamsMeasured = streamMetrics(metrics.registry);
  registerNotificationRoutes(app, {
    inbox: deps.inbox,
    verifyAccessToken: deps.verifyAccessToken,
    dashboardClientId: deps.config.dashboardClientId,
    metrics: streamsMeasured,
    isSubjectRevoked: deps.isSubjectRevoked,
  });
  registerUnsubscribe(app, deps.unsubscribe);
  registerApiRoutes(app);
  const streams = {
    hub: deps.events,
    verifyAccessToken: deps.verifyAccessToken,
    dashboardClientId: deps.config.dashboardClientId,
    metrics: streamsMeasured,
    isSubjectRevoked: deps.isSubjectRevoked,
  };
  registerStreamProjectEvents(app, streams);
  registerRunRoutes(app, streams);
  registerClaimRoutes(app, deps.claims ?? { leaseSeconds: defaultLeaseSeconds });

  // What an agent's action parameters may hold, referred to by the activity schemas (contracts runs.ts).
  app.openAPIRegistry.registerComponent("schemas", "StorableJsonValue", {
    ...storableJsonValueSchema,
    anyOf: [...storableJsonValueSchema.anyOf],
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "accessToken", {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
    description: "An access token from the TaskFlow SSO whose audience is this API",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "personalToken", {
    type: "http",
    scheme: "bearer",
    description:
      "A person's personal access token (`tfp_…`), made with `POST /api/personal-tokens` or on the dashboard's " +
      "account page: acts as that person with the token's scopes",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "agentKey", {
    type: "http",
    scheme: "bearer",
    description: "An agent API key (`tf_…`), issued when the agent is registered",
  });
  // Generated once, on first request: every route is registered by then.
  let document: ReturnType<ApiApp["getOpenAPI31Document"]> | undefined;
  app.get("/openapi.json", (c) => {
    document ??= documentApiMiddleware(
      app.getOpenAPI31Document({
        openapi: "3.1.0",
        info: {
          title: "TaskFlow API",
          version: "1.0.0",
          description:
            "Projects, members, workers (people and agents), tasks, comments and their audit trail.",
        },
      }),
      maxBodyBytes,
    );
    return c.json(document);
  });

  app.notFound(notFoundOrMethodNotAllowed(app));
  app.onError(onError);
  return app;
}
