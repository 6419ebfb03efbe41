import type { Metadata } from "next";
import Link from "next/link";
import { panelClass } from "@/components/form-message";
import { NotificationSettingsForm } from "@/components/notification-settings-form";
import { sessionApi } from "@/lib/api";
import { kindLabel, loadNotificationSettings } from "@/lib/inbox";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Notification settings" };

/** The person's notifications: the inbox always receives every kind; mail per kind is theirs to choose. */
export default async function NotificationSettingsPage() {
  const settings = await loadNotificationSettings(await sessionApi("/account/notifications"));
  return (
    <section aria-labelledby="notifications-heading" className={`grid max-w-3xl gap-3 ${panelClass}`}>
      <h1 id="notifications-heading" className="text-2xl font-semibold">
        Notification settings
      </h1>
      <p className="text-sm">
        Everything lands in{" "}
        <Link href="/inbox" className="underline">
          Needs you
        </Link>
        . Choose, for each kind, whether it also comes by mail at once, in one daily digest, or not at all.
        Every mail has a link that stops mail of its kind, without signing in.
      </p>
      {!settings.ok ? (
        <p className="text-sm text-slate-500">{settings.problem.detail ?? "Your settings cannot be read."}</p>
      ) : (
        <>
          <p className="text-sm text-slate-500" data-testid="email-address">
            {settings.data.emailAddress
              ? `Mail goes to ${settings.data.emailAddress} (from your sign-in).`
              : "Your sign-in gives no email address, so no mail can be sent: the inbox still has everything."}
          </p>
          <NotificationSettingsForm settings={settings.data} labels={kindLabel} />
        </>
      )}
    </section>
  );
}
