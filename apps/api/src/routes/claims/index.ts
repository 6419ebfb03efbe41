import type { ApiApp } from "../../app-env.ts";
import { registerAcknowledgeStop } from "./acknowledge-stop.ts";
import { registerClaimNextTask } from "./claim-next-task.ts";
import type { ClaimSettings } from "./claim-settings.ts";
import { registerClaimTask } from "./claim-task.ts";
import { registerHeartbeatTask } from "./heartbeat-task.ts";
import { registerReleaseTask } from "./release-task.ts";
import { registerRequestStop } from "./request-stop.ts";

/** Claims, leases and stop signals (agent coordination). */
export function registerClaimRoutes(app: ApiApp, settings: ClaimSettings): void {
  registerClaimNextTask(app, settings);
  registerClaimTask(app, settings);
  registerHeartbeatTask(app);
  registerReleaseTask(app);
  registerRequestStop(app);
  registerAcknowledgeStop(app);
}
