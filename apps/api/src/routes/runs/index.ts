import type { ProjectEventHub } from "@taskflow/core";
import type { ApiApp } from "../../app-env.ts";
import type { StreamCredentials } from "../events/stream-access.ts";
import type { StreamMetrics } from "../events/stream-metrics.ts";
import { registerCreateActivity } from "./create-activity.ts";
import { registerDeleteAgentEndpoint } from "./delete-agent-endpoint.ts";
import { registerGetActivity } from "./get-activity.ts";
import { registerGetAgentEndpoint } from "./get-agent-endpoint.ts";
import { registerGetRun } from "./get-run.ts";
import { registerListActivities } from "./list-activities.ts";
import { registerListAgentDispatches } from "./list-agent-dispatches.ts";
import { registerListAgentRuns } from "./list-agent-runs.ts";
import { registerListTaskRuns } from "./list-task-runs.ts";
import { registerRotateAgentEndpointSecret } from "./rotate-agent-endpoint-secret.ts";
import { registerSetAgentEndpoint } from "./set-agent-endpoint.ts";
import { registerStreamRunEvents } from "./stream-run-events.ts";

/** Agent runs, their activities and live events, and dispatch endpoints (issue 15). */
export function registerRunRoutes(
  app: ApiApp,
  deps: StreamCredentials & { hub: ProjectEventHub; metrics: StreamMetrics },
): void {
  registerListTaskRuns(app);
  registerListAgentRuns(app);
  registerGetRun(app);
  registerListActivities(app);
  registerCreateActivity(app);
  registerGetActivity(app);
  registerStreamRunEvents(app, deps);
  registerGetAgentEndpoint(app);
  registerSetAgentEndpoint(app);
  registerDeleteAgentEndpoint(app);
  registerRotateAgentEndpointSecret(app);
  registerListAgentDispatches(app);
}
