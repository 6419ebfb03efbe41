import type { Hono } from "hono";
import type { AppEnv, Services } from "./context.ts";

export function registerSystemRoutes(
  app: Hono<AppEnv>,
  services: Services,
  state: { draining: () => boolean; ping: () => Promise<void> },
): void {
  app.get("/api/health", async (c) => {
    if (state.draining()) return c.json({ status: "draining" }, 503);
    try {
      await state.ping();
    } catch {
      return c.json({ status: "unavailable", database: "unreachable" }, 503);
    }
    return c.json({ status: "ok", service: "sso-platform" });
  });

  // Discovery at the root and at the RFC 8414 / OIDC issuer-path forms. The issuer is BETTER_AUTH_URL.
  const openid = async () => services.auth.api.getOpenIdConfig();
  const oauthServer = async () => services.auth.api.getOAuthServerConfig();
  app.get("/.well-known/openid-configuration", async (c) => c.json(await openid()));
  app.get("/api/auth/.well-known/openid-configuration", async (c) => c.json(await openid()));
  app.get("/.well-known/oauth-authorization-server", async (c) => c.json(await oauthServer()));
  app.get("/.well-known/oauth-authorization-server/api/auth", async (c) => c.json(await oauthServer()));

  app.get("/", (c) => c.redirect("/account", 302));
}
