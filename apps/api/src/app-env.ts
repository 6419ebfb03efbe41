import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Actor, TaskflowDb } from "@taskflow/core";
import type { Logger } from "pino";

/** What every request handler can read from the context. */
export interface ApiVariables {
  db: TaskflowDb;
  actor: Actor;
  requestId: string;
  logger: Logger;
}

export type ApiEnvironment = { Variables: ApiVariables };
export type ApiApp = OpenAPIHono<ApiEnvironment>;
