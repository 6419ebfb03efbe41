"use server";
// The inbox's server actions: the signed-in person's API client, then the inbox page (and the header's badge,
// in the root layout) render again.
import type { NotificationKind } from "@taskflow/contracts";
import { revalidatePath } from "next/cache";
import { sessionApi } from "@/lib/api";
import { markAllRead, markRead, saveNotificationSettings } from "@/lib/inbox";
import type { FormState } from "@/lib/mutations";
import { fieldErrors, problemMessage } from "@/lib/problem";

export async function markNotificationRead(notificationId: string): Promise<void> {
  await markRead(await sessionApi("/inbox"), notificationId);
  revalidatePath("/", "layout");
}

export async function markAllNotificationsRead(kind: NotificationKind | undefined): Promise<void> {
  await markAllRead(await sessionApi("/inbox"), kind);
  revalidatePath("/", "layout");
}

export async function saveNotificationSettingsAction(
  _previous: FormState,
  form: FormData,
): Promise<FormState> {
  const result = await saveNotificationSettings(await sessionApi("/account/notifications"), form);
  if (!result.ok) {
    return { ok: false, message: problemMessage(result.problem), errors: fieldErrors(result.problem) };
  }
  revalidatePath("/account/notifications");
  return { ok: true, message: "Saved." };
}
