import {
  authorizeProjectEvents,
  DomainError,
  isDatabaseUnavailable,
  migrationsFolder,
  type ProjectEventHub,
  type ProjectWatch,
  type TaskflowDb,
} from "@taskflow/core";
import { migrationsApplied } from "@taskflow/db";
import {
  type AccessTokenVerifier,
  resolveBearer,
  SigningKeysUnavailableError,
} from "@taskflow/resource-auth";
import { type Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import type { Logger } from "pino";
import { bearerChallenge, mcpScopes, protectedResourceMetadata } from "./auth/protected-resource.ts";
import { requestGuard } from "./auth/request-guard.ts";
import { recordRefusals, refusedActions } from "./auth/tool-call-scopes.ts";
import type { McpConfig } from "./env.ts";
import { registerHealth } from "./http/health.ts";
import { batchRefusal, callCount, invalidRequestResponse } from "./http/json-rpc-batch.ts";
import { readJsonRpcBody } from "./http/json-rpc-body.ts";
import { mcpRateLimits, problem, type RateLimits } from "./http/limits.ts";
import { serveMcp } from "./http/serve-mcp.ts";
import { createListens } from "./listen/listens.ts";
import type { ToolContext } from "./tools/tool-kit.ts";

export interface McpDependencies {
  config: Pick<McpConfig, "resourceUrl" | "allowedHosts" | "allowedOrigins"> &
    Partial<Pick<McpConfig, "leaseSeconds" | "delegationMaxDepth" | "listensPerCaller">> & {
      sso: { issuer: string };
    };
  db: TaskflowDb;
  /** Verifies SSO access tokens whose audience is this server (MCP_RESOURCE_URL), nothing else. */
  verifyAccessToken: AccessTokenVerifier;
  /** Whether the SSO voided a person's credentials issued before a time (its revocation feed): ends their personal access tokens. */
  isSubjectRevoked?: (sub: string, issuedAt: number) => boolean;
  /** Answers when the database can be reached (readiness). */
  ping: () => Promise<void>;
  logger: Logger;
  /** False while the process drains on SIGTERM (readiness false, requests still served). */
  accepting?: () => boolean;
  /** Rate limits per client address and per caller (RATE_LIMIT_*, TRUST_PROXY; startRateLimits); none when left out. */
  rateLimits?: RateLimits;
  /**
   * Live changes (the `taskflow_events` LISTEN/NOTIFY fan-out): a tool that waits for an answer wakes when its
   * run's project changes. Without it, it looks every 2 s. It also feeds `subscriptions/listen` (2026-07-28),
   * which is offered only with it.
   */
  events?: ProjectEventHub;
}

export const maxBodyBytes = 1024 * 1024;

/** The MCP server's HTTP face: health, protected-resource metadata and `/mcp` (stateless Streamable HTTP). */
export function createMcpApp(deps: McpDependencies): Hono {
  const app = new Hono();
  const { resourceUrl } = deps.config;
  const metadata = protectedResourceMetadata(resourceUrl, deps.config.sso.issuer);
  const resourcePath = new URL(resourceUrl).pathname;
  const events = deps.events;
  const bearerOptions = {
    verifyToken: deps.verifyAccessToken,
    channel: "mcp" as const,
    ...(deps.isSubjectRevoked ? { isSubjectRevoked: deps.isSubjectRevoked } : {}),
  };
  // A listen lives as the REST streams do: its credential resolved again, then core's one rule for events.
  const listens =
    events &&
    createListens({
      hub: events,
      perCaller: deps.config.listensPerCaller ?? 8,
      reauthorize: async (authorization, projectId) => {
        const { actor } = await resolveBearer(deps.db, authorization, bearerOptions);
        await authorizeProjectEvents(deps.db, actor, projectId);
      },
    });
  // Both protocol eras on this one endpoint (http/serve-mcp.ts), from one server definition.
  const mcp = serveMcp({
    maxBodyBytes,
    onError: (error) => deps.logger.warn({ err: error }, "MCP request refused"),
    listens,
  });
  const watch: ProjectWatch | undefined =
    events && ((projectId, listener) => events.subscribe(projectId, listener, () => listener()));

  registerHealth(app, {
    accepting: deps.accepting ?? (() => true),
    databaseReady: async () => {
      const database = await deps.ping().then(
        () => true,
        () => false,
      );
      return { database, migrations: database && (await migrationsApplied(deps.db, migrationsFolder)) };
    },
  });
  app.get("/.well-known/oauth-protected-resource", (c) => c.json(metadata));
  app.get(`/.well-known/oauth-protected-resource${resourcePath}`, (c) => c.json(metadata));

  app.use("/mcp", requestGuard(deps.config));
  // Rate limits (http/limits.ts): per client address here, per caller once authenticated below.
  const limits = deps.rateLimits && mcpRateLimits(deps.rateLimits);
  if (limits) app.use("/mcp", limits.byAddress);
  app.use(
    "/mcp",
    cors({
      origin: deps.config.allowedOrigins,
      allowHeaders: [
        "authorization",
        "content-type",
        "mcp-protocol-version",
        "mcp-method",
        "mcp-name",
        "mcp-session-id",
        "last-event-id",
      ],
      exposeHeaders: ["www-authenticate", "mcp-session-id"],
      allowMethods: ["POST", "GET", "DELETE", "OPTIONS"],
    }),
  );
  app.use(
    "/mcp",
    bodyLimit({
      maxSize: maxBodyBytes,
      // The rest of the upload is never read: the connection is closed rather than handed back to the
      // client's keep-alive pool, where its next request would fail on it.
      onError: (c) =>
        problem(
          c,
          413,
          "payload_too_large",
          "Request body too large",
          `the body may be at most ${maxBodyBytes} bytes`,
          { connection: "close" },
        ),
    }),
  );

  app.post("/mcp", async (c) => {
    let caller: Awaited<ReturnType<typeof resolveBearer>>;
    try {
      caller = await resolveBearer(deps.db, c.req.header("authorization"), bearerOptions);
    } catch (error) {
      if (error instanceof DomainError && error.code === "unauthenticated") {
        const presented = Boolean(c.req.header("authorization"));
        c.header("www-authenticate", bearerChallenge(resourceUrl, presented ? "invalid_token" : undefined));
        return c.json({ error: presented ? "invalid_token" : "unauthorized", message: error.message }, 401);
      }
      if (error instanceof SigningKeysUnavailableError) {
        // The token may be valid; we cannot tell until the SSO answers again.
        c.header("retry-after", "5");
        return c.json({ error: "temporarily_unavailable", message: error.message }, 503);
      }
      throw error;
    }
    // The body is read once, here, for the batch rule and the scopes; the SDK gets it parsed.
    const { request, parsedBody } = await readJsonRpcBody(c.req.raw);
    const batchRefused = batchRefusal(parsedBody, c.req.header("mcp-protocol-version"));
    // Every message of an accepted batch is a call of its own; a refused batch counts once.
    const refused = limits?.byCaller(c, caller.actor, batchRefused ? 1 : callCount(parsedBody));
    if (refused) return refused;
    if (batchRefused) return invalidRequestResponse(batchRefused);
    // Tokens carry scopes: each tool call and resource read needs the scope of what it does (core's
    // actionScopes, the table the REST API decides by), decided here (before the SDK) so a missing one is
    // the HTTP 403 the MCP authorization spec asks for and the client can step up; nothing else needs one.
    // Core decides the same again for every action. Agent keys have no token scopes: core enforces their
    // project / action scopes.
    const scopes = caller.actor.scopes ? new Set(caller.actor.scopes) : null;
    if (scopes) {
      const refused = refusedActions(parsedBody, scopes);
      if (refused.length > 0) {
        await recordRefusals(deps.db, caller.actor, refused).catch((error: unknown) =>
          deps.logger.error({ err: error }, "could not audit a refused scope"),
        );
        const missing = [...new Set(refused.map((r) => r.scope))];
        return insufficientScope(c, missing, scopes, `this request needs the ${missing.join(" ")} scope`);
      }
    }
    // A call that lost the database makes the whole answer a 503, as any other outage here (onError).
    let databaseLost = false;
    const context: ToolContext = {
      onUnavailable: () => {
        databaseLost = true;
      },
      db: deps.db,
      actor: caller.actor,
      scopes,
      ...(deps.config.leaseSeconds ? { leaseSeconds: deps.config.leaseSeconds } : {}),
      ...(deps.config.delegationMaxDepth ? { delegationMaxDepth: deps.config.delegationMaxDepth } : {}),
      logger: deps.logger,
      ...(watch ? { watch } : {}),
    };
    const answer = await mcp.serve(request, parsedBody, context, c.req.header("authorization"));
    return databaseLost ? databaseUnavailable(c) : answer;
  });
  // Stateless: no standalone event stream and no sessions to end.
  app.on(["GET", "DELETE"], "/mcp", (c) => {
    c.header("allow", "POST");
    return c.json(
      { error: "method_not_allowed", message: "this server is stateless: POST JSON-RPC to /mcp" },
      405,
    );
  });

  /** 403 with the challenge a client steps up from: the scopes it needs, with those it has. */
  function insufficientScope(c: Context, missing: string[], granted: ReadonlySet<string>, message: string) {
    const wanted = mcpScopes.filter((scope) => granted.has(scope) || missing.includes(scope));
    c.header(
      "www-authenticate",
      bearerChallenge(resourceUrl, "insufficient_scope", { scopes: wanted, description: message }),
    );
    return c.json({ error: "insufficient_scope", message, scope: missing.join(" ") }, 403);
  }

  /** An outage, not a bug: the client may retry, and readiness already takes us out of rotation. */
  function databaseUnavailable(c: Context) {
    return problem(
      c,
      503,
      "unavailable",
      "Service unavailable",
      "the database is not reachable; try again shortly",
      {
        "retry-after": "5",
      },
    );
  }

  app.onError((error, c) => {
    if (isDatabaseUnavailable(error)) {
      deps.logger.warn({ err: error }, "database unavailable");
      return databaseUnavailable(c);
    }
    deps.logger.error({ err: error }, "unhandled error");
    return c.json({ error: "internal", message: "an unexpected error happened; it has been logged" }, 500);
  });
  return app;
}
