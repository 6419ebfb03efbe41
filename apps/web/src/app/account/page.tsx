import type { Metadata } from "next";
import Link from "next/link";
import { panelClass } from "@/components/form-message";
import { TimeZoneForm } from "@/components/time-zone-form";
import { When } from "@/components/when";
import { sessionApi } from "@/lib/api";
import { requestTimeZone } from "@/lib/request-time-zone";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Account" };

/** The zones this server's Intl knows, for the picker (the API checks the name either way). */
const zones = Intl.supportedValuesOf("timeZone");

/** The person's account: the time zone every date is shown and entered in, and links to tokens and mail. */
export default async function AccountPage() {
  await sessionApi("/account");
  const { zone, chosen, browser } = await requestTimeZone();
  const now = new Date().toISOString();
  return (
    <div className="grid max-w-3xl gap-6">
      <h1 className="text-2xl font-semibold">Account</h1>
      <section aria-labelledby="time-zone-heading" className={`grid gap-3 ${panelClass}`}>
        <h2 id="time-zone-heading" className="text-lg font-semibold">
          Time zone
        </h2>
        <p className="text-sm" data-testid="time-zone-now">
          Dates show in <strong data-testid="current-time-zone">{zone}</strong>{" "}
          {chosen
            ? "(your choice, on every device)."
            : browser
              ? "(your browser's, until you choose one)."
              : "(until your browser tells us its zone)."}{" "}
          It is now <When iso={now} />.
        </p>
        <TimeZoneForm chosen={chosen} browser={browser} zones={zones} />
      </section>
      <section aria-labelledby="more-heading" className={`grid gap-2 ${panelClass}`}>
        <h2 id="more-heading" className="text-lg font-semibold">
          More settings
        </h2>
        <ul className="grid gap-1 text-sm">
          <li>
            <Link href="/account/notifications" className="underline">
              Notification settings
            </Link>{" "}
            — what comes by mail
          </li>
          <li>
            <Link href="/account/tokens" className="underline">
              Personal access tokens
            </Link>{" "}
            — for scripts
          </li>
        </ul>
      </section>
    </div>
  );
}
