import { type AddressInfo, createServer } from "node:net";
import { serve } from "@hono/node-server";
import { closeServer, stopKeepingAlive } from "@taskflow/service-env";
import { createSsoApp, type SsoApp, type SsoAppOptions } from "./app.ts";
import { EnvError, parseEnv, type SsoConfig } from "./env.ts";
import { createLogger } from "./logger.ts";

export interface RunningSso {
  /** Where it listens, e.g. http://127.0.0.1:3001. */
  url: string;
  port: number;
  /** SSO_ISSUER for the resource servers (BETTER_AUTH_URL). */
  issuer: string;
  /** SSO_JWKS_URL for the resource servers. */
  jwksUrl: string;
  sso: SsoApp;
  /**
   * Drains: health answers 503 at once while requests are still served for SHUTDOWN_DELAY_SECONDS
   * (so the load balancer stops sending new ones), then the listener closes, in-flight requests
   * finish, and the database closes.
   */
  stop(): Promise<void>;
}

/**
 * Starts the SSO in this process from an environment map (the same names as the chart sets)
 * and resolves once it listens. PORT=0 picks a free port; BETTER_AUTH_URL should then be set by the caller.
 */
export async function startSso(
  env: Record<string, string | undefined> | SsoConfig,
  options: SsoAppOptions = {},
): Promise<RunningSso> {
  let config =
    "baseUrl" in env && typeof env.baseUrl === "string"
      ? (env as SsoConfig)
      : parseEnv(env as Record<string, string | undefined>);
  if (config.port === 0) {
    // Better Auth needs its public URL before listening: pick the free port first.
    const port = await freePort(config.host);
    const baseUrl = config.baseUrl.endsWith(":0")
      ? config.baseUrl.replace(/:0$/, `:${port}`)
      : config.baseUrl;
    config = { ...config, port, baseUrl };
  }
  const sso = await createSsoApp(config, options);
  const server = serve({ fetch: sso.fetch, port: config.port, hostname: config.host });
  const address = await new Promise<AddressInfo>((resolve, reject) => {
    server.once("error", reject);
    server.once("listening", () => resolve(server.address() as AddressInfo));
  });
  const host = config.host === "0.0.0.0" || config.host === "::" ? "127.0.0.1" : config.host;
  let stopped: Promise<void> | undefined;
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${address.port}`,
    port: address.port,
    issuer: sso.issuer,
    jwksUrl: sso.jwksUrl,
    sso,
    stop: () => {
      stopped ??= (async () => {
        sso.drain();
        stopKeepingAlive(server);
        if (config.shutdownDelaySeconds > 0) {
          await new Promise((resolve) => setTimeout(resolve, config.shutdownDelaySeconds * 1000));
        }
        await closeServer(server);
        await sso.close();
      })();
      return stopped;
    },
  };
}

function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, host, () => {
      const address = probe.address() as AddressInfo;
      probe.close(() => resolve(address.port));
    });
  });
}

async function main(): Promise<void> {
  let running: RunningSso;
  try {
    running = await startSso(process.env);
  } catch (error) {
    if (error instanceof EnvError) createLogger("error").error(error.message);
    else createLogger("error").error("start-up failed", { err: error });
    process.exit(1);
  }
  const logger = running.sso.logger;
  logger.info("listening", { url: running.url, issuer: running.sso.issuer, jwks: running.sso.jwksUrl });
  const shutdown = (signal: string) => {
    logger.info(`${signal}: draining`, { delaySeconds: running.sso.config.shutdownDelaySeconds });
    running.stop().then(
      () => {
        logger.info("stopped");
        process.exit(0);
      },
      (error: unknown) => {
        logger.error("stop failed", { err: error });
        process.exit(1);
      },
    );
  };
  process.once("SIGTERM", () => shutdown("SIGTERM"));
  process.once("SIGINT", () => shutdown("SIGINT"));
}

if (import.meta.main) await main();
