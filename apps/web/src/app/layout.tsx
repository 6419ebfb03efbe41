import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { CommandPaletteLauncher } from "@/components/command-palette-launcher";
import { InboxBadge } from "@/components/inbox-badge";
import { TimeZoneProvider } from "@/components/time-zone-context";
import { TimeZoneDetector } from "@/components/time-zone-detector";
import { config } from "@/env";
import { createApiClient } from "@/lib/api-client";
import { loadUnreadCount } from "@/lib/inbox";
import { requestTimeZone } from "@/lib/request-time-zone";
import { readSession } from "@/lib/session";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "TaskFlow", template: "%s · TaskFlow" },
  description: "People and AI agents working on the same tasks",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const session = await readSession();
  const [unread, time] = await Promise.all([
    session ? unreadCountOf(session.accessToken) : 0,
    requestTimeZone(),
  ]);
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 text-slate-900 dark:bg-slate-950 dark:text-slate-100">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:rounded focus:bg-white focus:px-3 focus:py-1 focus:text-slate-900"
        >
          Skip to content
        </a>
        <header className="border-b border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
          <nav
            aria-label="Main"
            className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-5 gap-y-2 px-4 py-3 text-sm"
          >
            <Link href="/" className="text-base font-semibold">
              TaskFlow
            </Link>
            {session ? (
              <>
                <Link href="/" className="hover:underline">
                  Home
                </Link>
                <Link href="/projects" className="hover:underline">
                  Projects
                </Link>
                <Link href="/agents" className="hover:underline">
                  Agents
                </Link>
                <Link href="/connect" className="hover:underline">
                  Connect an agent
                </Link>
                <InboxBadge initial={unread} />
                <span className="ml-auto text-slate-500 dark:text-slate-400">
                  {session.user.name ?? session.user.email}
                </span>
                <Link href="/organization" className="hover:underline">
                  Organization
                </Link>
                <Link href="/account" className="hover:underline">
                  Account
                </Link>
                <Link href="/account/tokens" className="hover:underline">
                  Access tokens
                </Link>
                <Link href="/account/notifications" className="hover:underline">
                  Notifications
                </Link>
                <form action="/api/auth/logout" method="post">
                  <button
                    type="submit"
                    className="rounded border border-slate-300 px-2 py-1 dark:border-slate-700"
                  >
                    Sign out
                  </button>
                </form>
              </>
            ) : (
              <a href="/api/auth/login" className="ml-auto rounded bg-indigo-600 px-3 py-1 text-white">
                Sign in
              </a>
            )}
          </nav>
        </header>
        <TimeZoneDetector shownIn={time.zone} chosen={time.chosen !== null} />
        <main id="main" className="mx-auto max-w-6xl px-4 py-6">
          <TimeZoneProvider zone={time.zone}>{children}</TimeZoneProvider>
        </main>
        {session ? <CommandPaletteLauncher /> : null}
      </body>
    </html>
  );
}

/** The header's unread count; the header never fails a page (the badge's live stream corrects it). */
async function unreadCountOf(accessToken: string): Promise<number> {
  try {
    const result = await loadUnreadCount(createApiClient(config().apiUrl, accessToken));
    return result.ok ? result.data.unread : 0;
  } catch {
    return 0;
  }
}
