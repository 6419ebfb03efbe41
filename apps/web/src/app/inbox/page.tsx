import { notificationKindValues } from "@taskflow/contracts";
import type { Metadata } from "next";
import Link from "next/link";
import { EmptyState } from "@/components/empty-state";
import { panelClass, secondaryButtonClass } from "@/components/form-message";
import { InboxLive } from "@/components/inbox-live";
import { Markdown } from "@/components/markdown";
import { When } from "@/components/when";
import { WorkerName } from "@/components/worker-name";
import { sessionApi } from "@/lib/api";
import { inboxFilter, inboxHref, kindLabel, loadInbox, loadUnreadCount } from "@/lib/inbox";
import { markAllNotificationsRead, markNotificationRead } from "./actions";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Needs you" };

/**
 * The person's inbox: what needs them (tasks assigned, reviews, agents' questions, answers, mentions, stops
 * acknowledged, due dates), newest first, filtered by kind and unread; marked read one by one or all at once.
 * It refreshes itself when the header's live inbox hears of a change.
 */
export default async function InboxPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const filter = inboxFilter(await searchParams);
  const api = await sessionApi(inboxHref(filter));
  const [page, count] = await Promise.all([loadInbox(api, filter), loadUnreadCount(api)]);
  const unread = count.ok ? count.data : { unread: 0, byKind: {} as Record<string, number> };
  const tab = (active: boolean) =>
    active
      ? "rounded bg-indigo-600 px-2 py-0.5 text-white"
      : "rounded px-2 py-0.5 hover:bg-slate-100 dark:hover:bg-slate-800";
  return (
    <div className="grid gap-4">
      <InboxLive />
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold">Needs you</h1>
        <span className="text-sm text-slate-500" data-testid="inbox-unread">
          {unread.unread === 0 ? "nothing unread" : `${unread.unread} unread`}
        </span>
        {unread.unread > 0 ? (
          <form action={markAllNotificationsRead.bind(null, filter.kind)} className="ml-auto">
            <button type="submit" className={secondaryButtonClass}>
              {filter.kind ? `Mark all “${kindLabel[filter.kind]}” read` : "Mark all read"}
            </button>
          </form>
        ) : null}
      </div>
      <nav aria-label="Filter by kind" className="flex flex-wrap gap-2 text-sm">
        <Link href={inboxHref({ ...(filter.unread ? { unread: true } : {}) })} className={tab(!filter.kind)}>
          All
        </Link>
        {notificationKindValues.map((kind) => (
          <Link
            key={kind}
            href={inboxHref({ kind, ...(filter.unread ? { unread: true } : {}) })}
            className={tab(filter.kind === kind)}
          >
            {kindLabel[kind]}
            {unread.byKind[kind] ? ` (${unread.byKind[kind]})` : ""}
          </Link>
        ))}
        <Link
          href={inboxHref({
            ...(filter.kind ? { kind: filter.kind } : {}),
            ...(filter.unread ? {} : { unread: true }),
          })}
          className={`ml-auto ${tab(!!filter.unread)}`}
        >
          Unread only
        </Link>
      </nav>
      {!page.ok ? (
        <p className={panelClass}>{page.problem.detail ?? "Your inbox cannot be read right now."}</p>
      ) : page.data.items.length === 0 ? (
        <EmptyState title="Nothing here. You are all caught up.">
          Tasks assigned to you, reviews asked of you, agents' questions and @mentions land here.{" "}
          <Link href="/account/notifications" className="underline">
            Choose what also comes by mail
          </Link>
          .
        </EmptyState>
      ) : (
        <ul className="grid gap-2" data-testid="inbox">
          {page.data.items.map((n) => (
            <li
              key={n.id}
              data-testid="notification"
              data-kind={n.kind}
              data-unread={n.readAt === null}
              className={`${panelClass} grid gap-1 ${n.readAt === null ? "border-l-4 border-l-indigo-600" : "opacity-80"}`}
            >
              <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
                <span className="text-xs uppercase tracking-wide text-slate-500">{kindLabel[n.kind]}</span>
                {n.taskId ? (
                  <Link
                    href={`/tasks/${n.taskId}`}
                    className={n.readAt === null ? "font-semibold hover:underline" : "hover:underline"}
                  >
                    {n.title}
                  </Link>
                ) : (
                  <span className={n.readAt === null ? "font-semibold" : ""}>{n.title}</span>
                )}
                {n.readAt === null ? <span className="sr-only">(unread)</span> : null}
                {n.readAt === null ? (
                  <form action={markNotificationRead.bind(null, n.id)} className="ml-auto">
                    <button type="submit" className="text-sm underline">
                      Mark read
                    </button>
                  </form>
                ) : null}
              </div>
              {n.body ? (
                <Markdown
                  text={n.body.length > 400 ? `${n.body.slice(0, 399)}…` : n.body}
                  className="text-sm text-slate-700 dark:text-slate-300"
                />
              ) : null}
              <p className="text-xs text-slate-500">
                {n.actor ? (
                  <>
                    <WorkerName worker={n.actor} /> ·{" "}
                  </>
                ) : null}
                <When iso={n.createdAt} show="relative" />
              </p>
            </li>
          ))}
        </ul>
      )}
      {page.ok && page.data.nextCursor ? (
        <Link href={inboxHref({ ...filter, cursor: page.data.nextCursor })} className="text-sm underline">
          Older
        </Link>
      ) : null}
      <p className="text-sm text-slate-500">
        Mail for each kind (at once, in a daily digest, or none):{" "}
        <Link href="/account/notifications" className="underline">
          notification settings
        </Link>
        .
      </p>
    </div>
  );
}
