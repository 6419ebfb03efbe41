// The "Needs you" inbox as the dashboard reads it: its filters in the URL, its loaders (the API with the person's
// token), the words for each kind and the badge. No Next.js here, so tests drive the same functions against a
// real API.
import {
  type EmailMode,
  type NotificationKind,
  type NotificationPage,
  type NotificationSettings,
  notificationKindValues,
  type UnreadCount,
} from "@taskflow/contracts";
import { type ApiClient, type ApiResult, enc, queryString } from "./api-client";

export interface InboxFilter {
  kind?: NotificationKind;
  unread?: boolean;
  cursor?: string;
}

/** The inbox's filter from the page's query: unknown kinds and junk are dropped, never sent on. */
export function inboxFilter(params: Record<string, string | string[] | undefined>): InboxFilter {
  const one = (name: string) => {
    const value = params[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const kind = one("kind");
  const cursor = one("cursor");
  return {
    ...(kind && (notificationKindValues as readonly string[]).includes(kind)
      ? { kind: kind as NotificationKind }
      : {}),
    ...(one("unread") === "true" ? { unread: true } : {}),
    ...(cursor && /^[A-Za-z0-9_-]{1,512}$/.test(cursor) ? { cursor } : {}),
  };
}

/** The page's URL for a filter (links between filters and to the next page). */
export function inboxHref(filter: InboxFilter): string {
  return `/inbox${queryString({
    kind: filter.kind,
    unread: filter.unread ? "true" : undefined,
    cursor: filter.cursor,
  })}`;
}

export function loadInbox(
  api: ApiClient,
  filter: InboxFilter,
  limit = 30,
): Promise<ApiResult<NotificationPage>> {
  return api.call<NotificationPage>(
    `/api/notifications${queryString({
      kind: filter.kind,
      unread: filter.unread ? "true" : undefined,
      cursor: filter.cursor,
      limit,
    })}`,
  );
}

export function loadUnreadCount(api: ApiClient): Promise<ApiResult<UnreadCount>> {
  return api.call<UnreadCount>("/api/notifications/unread-count");
}

export function markRead(api: ApiClient, notificationId: string) {
  return api.call(`/api/notifications/${enc(notificationId)}/read`, { method: "POST" });
}

export function markAllRead(api: ApiClient, kind?: NotificationKind) {
  return api.call<{ marked: number }>("/api/notifications/read-all", {
    method: "POST",
    body: kind ? { kind } : {},
  });
}

export function loadNotificationSettings(api: ApiClient): Promise<ApiResult<NotificationSettings>> {
  return api.call<NotificationSettings>("/api/notifications/settings");
}

const modes: readonly EmailMode[] = ["immediate", "digest", "off"];

/** The settings form's choices as the API's body: one mode per kind, anything else dropped. */
export function settingsFromForm(form: FormData): Partial<Record<NotificationKind, EmailMode>> {
  const body: Partial<Record<NotificationKind, EmailMode>> = {};
  for (const kind of notificationKindValues) {
    const value = form.get(`email.${kind}`);
    if (typeof value === "string" && (modes as readonly string[]).includes(value))
      body[kind] = value as EmailMode;
  }
  return body;
}

export function saveNotificationSettings(api: ApiClient, form: FormData) {
  return api.call<NotificationSettings>("/api/notifications/settings", {
    method: "PATCH",
    body: settingsFromForm(form),
  });
}

/** What each kind is called on the page (its filter) and in the settings. */
export const kindLabel: Record<NotificationKind, string> = {
  assigned: "Assigned to you",
  review_requested: "Reviews",
  question: "Questions",
  outcome: "Answers and outcomes",
  mention: "Mentions",
  stop_acknowledged: "Stops acknowledged",
  due_soon: "Due soon",
  overdue: "Overdue",
};

export const emailModeLabel: Record<EmailMode, string> = {
  immediate: "Email at once",
  digest: "Daily digest",
  off: "No email",
};
