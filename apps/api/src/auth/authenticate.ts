import { type AccessTokenVerifier, type BearerOptions, resolveBearer } from "@taskflow/resource-auth";
import type { MiddlewareHandler } from "hono";
import type { ApiEnvironment } from "../app-env.ts";

/**
 * Resolves the caller from `Authorization: Bearer …`: an agent API key (`tf_…`), a personal access
 * token (`tfp_…`) or an SSO access token. Requests through the dashboard's OAuth client are audited
 * with channel `web`.
 */
export function authenticate(
  verifyToken: AccessTokenVerifier,
  dashboardClientId: string,
  isSubjectRevoked?: BearerOptions["isSubjectRevoked"],
): MiddlewareHandler<ApiEnvironment> {
  return async (c, next) => {
    const { actor } = await resolveBearer(c.get("db"), c.req.header("authorization"), {
      verifyToken,
      channel: "api",
      dashboardClientId,
      ...(isSubjectRevoked ? { isSubjectRevoked } : {}),
    });
    c.set("actor", actor);
    await next();
  };
}
