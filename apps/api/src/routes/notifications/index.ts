import type { InboxHub } from "@taskflow/core";
import type { ApiApp } from "../../app-env.ts";
import type { StreamCredentials } from "../events/stream-access.ts";
import type { StreamMetrics } from "../events/stream-metrics.ts";
import { registerGetNotificationSettings } from "./get-settings.ts";
import { registerListNotifications } from "./list-notifications.ts";
import { registerMarkAllNotificationsRead } from "./mark-all-read.ts";
import { registerMarkNotificationRead } from "./mark-read.ts";
import { registerStreamInbox } from "./stream-inbox.ts";
import { registerUnreadCount } from "./unread-count.ts";
import { registerUpdateNotificationSettings } from "./update-settings.ts";

export interface NotificationRouteDependencies extends StreamCredentials {
  inbox: InboxHub;
  metrics: StreamMetrics;
}

/** A person's inbox and notification settings. Fixed paths before `{id}`. */
export function registerNotificationRoutes(app: ApiApp, deps: NotificationRouteDependencies): void {
  registerUnreadCount(app);
  registerMarkAllNotificationsRead(app);
  registerGetNotificationSettings(app);
  registerUpdateNotificationSettings(app);
  registerStreamInbox(app, deps);
  registerListNotifications(app);
  registerMarkNotificationRead(app);
}
