import { agentKeyPrefix, authenticateAgentKey, resolveHumanActor, unauthenticated } from "@taskflow/core";
import type { MiddlewareHandler } from "hono";
import type { ApiEnvironment } from "../app-env.ts";
import { type AccessTokenVerifier, InvalidTokenError } from "./access-token-verifier.ts";

/**
 * Resolves the caller from `Authorization: Bearer …`: an agent API key (`tf_…`) or an SSO access
 * token. Requests through the dashboard's OAuth client are audited with channel `web`.
 */
export function authenticate(
  verifyToken: AccessTokenVerifier,
  dashboardClientId: string,
): MiddlewareHandler<ApiEnvironment> {
  return async (c, next) => {
    const header = c.req.header("authorization") ?? "";
    const match = /^Bearer[ ]+(\S+)$/i.exec(header);
    if (!match?.[1]) throw unauthenticated("send `Authorization: Bearer <access token or agent API key>`");
    const credential = match[1];
    if (credential.startsWith(agentKeyPrefix)) {
      c.set("actor", await authenticateAgentKey(c.var.db, credential, "api"));
    } else {
      let claims: Awaited<ReturnType<AccessTokenVerifier>>;
      try {
        claims = await verifyToken(credential);
      } catch (error) {
        if (error instanceof InvalidTokenError) throw unauthenticated(error.message);
        throw error;
      }
      c.set(
        "actor",
        await resolveHumanActor(c.var.db, {
          tenantId: claims.tenantId,
          userId: claims.userId,
          orgRole: claims.orgRole,
          email: claims.email,
          name: claims.name,
          channel: claims.clientId === dashboardClientId ? "web" : "api",
        }),
      );
    }
    await next();
  };
}
