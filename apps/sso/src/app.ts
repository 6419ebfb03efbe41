import { join } from "node:path";
import type { OpenDatabase } from "@taskflow/db";
import { databaseLocation, openDatabase, runMigrations } from "@taskflow/db";
import { clientAddress } from "@taskflow/service-env";
import { Hono } from "hono";
import { cors } from "hono/cors";
import {
  AUTH_BASE_PATH,
  CLIENT_IP_HEADER,
  createAuth,
  DEFAULT_RATE_LIMITS,
  type RateLimitSettings,
  type SsoAuth,
} from "./auth.ts";
import * as schema from "./db/schema.ts";
import { embeddedDatabaseDir, type SsoConfig } from "./env.ts";
import { controlCharacterGuard } from "./http/control-characters.ts";
import { hostGuard } from "./http/host-guard.ts";
import { createLogger, type Logger, pathForLog, safeForLog } from "./logger.ts";
import { createMailer, type Mailer } from "./mail/mailer.ts";
import { MIGRATION_LOCK_ID, migrationsFolder } from "./migrations.ts";
import {
  forAuthRequest,
  TOKEN_FORM_ENDPOINTS,
  withRfcAnswerForUnverifiedToken,
} from "./oauth/invalid-token.ts";
import { isSameOriginOnlyEndpoint, isServedAuthEndpoint } from "./oauth/served-endpoints.ts";
import { isUnverifiedJwt, tokenInBody } from "./oauth/unverified-jwt.ts";
import { registerRevocationFeed } from "./revocation/feed.ts";
import { registerAccountPages } from "./routes/account.ts";
import { registerAdminPages } from "./routes/admin.ts";
import { registerAuthPages } from "./routes/auth-pages.ts";
import { type AppEnv, crossSitePost, type Services } from "./routes/context.ts";
import { registerDevMailbox } from "./routes/dev-mailbox.ts";
import { registerDevicePages } from "./routes/device.ts";
import { registerErrorPage } from "./routes/error-page.ts";
import { registerFavicon } from "./routes/favicon.ts";
import { registerSystemRoutes } from "./routes/system.ts";
import { resolveSecrets, type SeededCredentials, seededCredentials } from "./secrets.ts";
import { configuredClients, seedAdmin, seedClients } from "./seed.ts";

export interface SsoAppOptions {
  /** An open, already migrated database (tests); otherwise one is opened from the config and migrated. */
  database?: OpenDatabase<typeof schema>;
  /** Overrides of the default rate limits (which are always stored in the database). */
  rateLimit?: Partial<RateLimitSettings>;
  /** Close the given database on close() (default: only when the app opened it). */
  closeDatabase?: boolean;
  /** Where log lines go (default: JSON to stdout/stderr at LOG_LEVEL); tests pass one to read them. */
  logger?: Logger;
}

export interface SsoApp {
  /** Web-standard handler; pass the node-server bindings as env to see the client address. */
  fetch: (request: Request, env?: unknown) => Response | Promise<Response>;
  app: Hono<AppEnv>;
  auth: SsoAuth;
  config: SsoConfig;
  database: OpenDatabase<typeof schema>;
  mailer: Mailer;
  logger: Logger;
  /** The `iss` of every token: BETTER_AUTH_URL. Resource servers set SSO_ISSUER to it. */
  issuer: string;
  /** Resource servers set SSO_JWKS_URL to it. */
  jwksUrl: string;
  credentials: SeededCredentials;
  /** Health turns 503 from now on (SIGTERM). */
  drain(): void;
  close(): Promise<void>;
}

export function ssoIssuer(config: SsoConfig): string {
  return config.baseUrl;
}

export function ssoJwksUrl(config: SsoConfig): string {
  return `${config.baseUrl}${AUTH_BASE_PATH}/jwks`;
}

async function openOwnDatabase(config: SsoConfig): Promise<OpenDatabase<typeof schema>> {
  const location = databaseLocation({ url: config.databaseUrl, dataDir: embeddedDatabaseDir(config) });
  const database = await openDatabase(location, schema);
  if (database.pglite) {
    await runMigrations({ database: database.pglite, migrationsFolder, lockId: MIGRATION_LOCK_ID });
  } else if (location.kind === "postgres") {
    await runMigrations({ database: location.url, migrationsFolder, lockId: MIGRATION_LOCK_ID });
  }
  return database;
}

/** The socket's peer, from the Node server's bindings (absent when a test calls the app directly). */
function socketAddress(env: unknown): string | undefined {
  return (env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket
    ?.remoteAddress;
}

/** Builds the SSO (database, Better Auth, pages, seeded clients and admin) from a parsed config. */
export async function createSsoApp(config: SsoConfig, options: SsoAppOptions = {}): Promise<SsoApp> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const secrets = resolveSecrets(config);
  const database = options.database ?? (await openOwnDatabase(config));
  const closeDatabase = options.closeDatabase ?? !options.database;
  const mailer = createMailer({
    ...(config.smtp ? { smtp: config.smtp } : {}),
    from: config.emailFrom,
    mailboxDir: join(config.dataDir, "sso-mailbox"),
  });
  const rateLimit: RateLimitSettings = { ...DEFAULT_RATE_LIMITS, ...options.rateLimit };
  const auth = createAuth({
    config,
    secret: secrets.betterAuthSecret,
    db: database.db,
    mailer,
    rateLimit,
    logger,
  });
  await auth.$context;
  await seedClients(database.db, configuredClients(config, secrets));
  if (secrets.admin) await seedAdmin(auth, database.db, secrets.admin);

  const services: Services = {
    config,
    auth,
    db: database.db,
    mailer,
    trustedOrigins: new Set([config.baseUrl, ...config.allowedOrigins]),
  };
  let draining = false;
  const app = new Hono<AppEnv>();

  app.use("*", async (c, next) => {
    const peerIp = socketAddress(c.env);
    c.set("peerIp", peerIp);
    c.set("clientIp", clientAddress(peerIp, c.req.header("x-forwarded-for"), config.trustedProxies));
    const started = performance.now();
    await next();
    if (logger.enabled("info") && c.req.path !== "/api/health") {
      // The path only (query strings carry codes and tokens), without a reset link's token.
      logger.info("request", {
        method: c.req.method,
        path: pathForLog(c.req.path),
        status: c.res.status,
        ms: Math.round(performance.now() - started),
      });
    }
    c.header("x-content-type-options", "nosniff");
    c.header("referrer-policy", "no-referrer");
    if ((c.res.headers.get("content-type") ?? "").includes("text/html")) {
      c.header("x-frame-options", "DENY");
      c.header(
        "content-security-policy",
        "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; form-action 'self' http: https:; frame-ancestors 'none'",
      );
    }
    if (config.production) c.header("strict-transport-security", "max-age=31536000");
  });
  // Before anything answers: a Host we do not serve is a DNS-rebinding page (http/host-guard.ts).
  app.use("*", hostGuard(config.servedHosts));
  // Nor does a control character in a path, query or body value reach a page or Better Auth: a NUL
  // became a 500 from PostgreSQL (http/control-characters.ts).
  app.use("*", controlCharacterGuard());

  // Public OAuth endpoints answer browsers from any origin (browser-based MCP clients, SPAs): they
  // carry no cookies, only tokens and client credentials.
  const publicCors = cors({
    origin: "*",
    allowMethods: ["GET", "POST", "OPTIONS"],
    allowHeaders: ["authorization", "content-type", "dpop", "mcp-protocol-version"],
    maxAge: 600,
  });
  for (const path of [
    "/.well-known/*",
    `${AUTH_BASE_PATH}/.well-known/*`,
    `${AUTH_BASE_PATH}/jwks`,
    `${AUTH_BASE_PATH}/oauth2/token`,
    `${AUTH_BASE_PATH}/oauth2/register`,
    `${AUTH_BASE_PATH}/oauth2/userinfo`,
    `${AUTH_BASE_PATH}/oauth2/revoke`,
    `${AUTH_BASE_PATH}/oauth2/introspect`,
    `${AUTH_BASE_PATH}/device/code`,
  ]) {
    app.use(path, publicCors);
  }

  registerSystemRoutes(app, services, { draining: () => draining, ping: () => database.ping() });
  registerAuthPages(app, services);
  registerAccountPages(app, services);
  registerDevicePages(app, services);
  registerAdminPages(app, services);
  registerDevMailbox(app, services);
  registerErrorPage(app);
  registerFavicon(app);
  registerRevocationFeed(app, services);

  app.on(["GET", "POST", "OPTIONS"], `${AUTH_BASE_PATH}/*`, async (c) => {
    // Only the endpoints we mean to serve (oauth/served-endpoints.ts); our pages call the rest in-process.
    const path = c.req.path.slice(AUTH_BASE_PATH.length);
    if (!isServedAuthEndpoint(c.req.method, path)) return c.notFound();
    // The account endpoints answer browsers on our own origins only, with or without cookies.
    if (c.req.method === "POST" && isSameOriginOnlyEndpoint(path) && crossSitePost(services, c)) {
      return c.json({ code: "INVALID_ORIGIN", message: "Cross-site request refused" }, 403);
    }
    // Better Auth reads the client address (rate limits, sessions) from our own header, never the caller's.
    const headers = new Headers(c.req.raw.headers);
    headers.set(CLIENT_IP_HEADER, c.get("clientIp"));
    const request = new Request(c.req.raw, { headers });
    // The path (and, at introspect and revoke, whether the token verifies) travels with the request, for
    // the errors only some endpoints answer (oauth/invalid-token.ts).
    const token =
      c.req.method === "POST" && TOKEN_FORM_ENDPOINTS.has(path) ? await tokenInBody(request) : undefined;
    const unverifiedToken = token ? await isUnverifiedJwt(token, await auth.api.getJwks()) : false;
    const context = { path, unverifiedToken };
    const response = await forAuthRequest(context, () => auth.handler(request));
    return withRfcAnswerForUnverifiedToken(context, response);
  });

  app.onError((error, c) => {
    logger.error("unhandled error", { err: safeForLog(error), path: pathForLog(c.req.path) });
    return c.json({ type: "about:blank", title: "Internal Server Error", status: 500 }, 500);
  });

  return {
    fetch: (request, env) => app.fetch(request, env as AppEnv["Bindings"]),
    app,
    auth,
    config,
    database,
    mailer,
    logger,
    issuer: ssoIssuer(config),
    jwksUrl: ssoJwksUrl(config),
    credentials: seededCredentials(config),
    drain: () => {
      draining = true;
    },
    close: async () => {
      await mailer.close();
      if (closeDatabase) await database.close();
    },
  };
}
