import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Actor, TargetPolicy, TaskflowDb } from "@taskflow/core";
import type { Logger } from "pino";

/**
 * What every request handler can read from the context. The hot paths read it with `c.get("db")`:
 * Hono's `c.var` builds a new object of every variable on each read.
 */
export interface ApiVariables {
  db: TaskflowDb;
  actor: Actor;
  requestId: string;
  logger: Logger;
  /** Which webhook targets are allowed (`WEBHOOK_ALLOW_PRIVATE_TARGETS`). */
  webhookTargets: TargetPolicy;
  /** Delegation links an agent's chain may have (`DELEGATION_MAX_DEPTH`). */
  delegationMaxDepth: number;
  /** Lease length of claims (`LEASE_SECONDS`), also of the claim a rejection gives back. */
  leaseSeconds: number;
}

export type ApiEnvironment = { Variables: ApiVariables };
export type ApiApp = OpenAPIHono<ApiEnvironment>;
