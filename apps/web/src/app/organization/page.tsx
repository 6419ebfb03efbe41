import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { buttonClass, panelClass, secondaryButtonClass } from "@/components/form-message";
import { config } from "@/env";
import { oidcClient } from "@/lib/oidc";
import { fetchUserInfo, organizationChoices, organizationsListed, switchNotice } from "@/lib/organizations";
import { readSession } from "@/lib/session";
import { orgClaims } from "@/lib/token-claims";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Organization" };

const one = (value: string | string[] | undefined) => (typeof value === "string" ? value : undefined);

/**
 * The active organization belongs to the SSO session and every access token carries it. "Switch to …" revokes
 * the dashboard's refresh token and authorizes again naming the organization (POST /api/auth/switch-organization
 * with organizationId); the SSO makes it active when the person belongs to it, and the new tokens carry it. The
 * list is the SSO's userinfo `organizations` claim. The tokens never reach the browser.
 */
export default async function OrganizationPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const session = await readSession();
  if (!session) redirect("/api/auth/login?returnTo=/organization");
  const query = await searchParams;
  const org = orgClaims(session.accessToken);
  const userinfo = await oidcClient().then(
    (client) => fetchUserInfo(client, session),
    () => undefined,
  );
  const choices = organizationChoices(userinfo, org);
  const listed = organizationsListed(userinfo);
  // The token names the organization by id; the SSO's list has its name (the id when it has none).
  const activeName = choices.find((choice) => choice.active && choice.name !== choice.id)?.name;
  const notice = switchNotice(
    { switched: one(query.switched), from: one(query.from), to: one(query.to) },
    org.orgId,
  );
  const account = `${config().ssoIssuer}/account`;
  return (
    <div className={`grid max-w-2xl gap-4 ${panelClass}`}>
      <h1 className="text-2xl font-semibold">Organization</h1>
      {notice ? (
        <p
          role="status"
          data-testid="switch-notice"
          data-tone={notice.tone}
          className={`rounded border p-2 text-sm ${
            notice.tone === "done"
              ? "border-green-600 bg-green-50 dark:bg-green-950"
              : "border-amber-500 bg-amber-50 dark:bg-amber-950"
          }`}
        >
          {notice.text}
        </p>
      ) : null}
      <p className="text-sm">
        You are working in organization{" "}
        {activeName ? <strong data-testid="org-name">{activeName}</strong> : null}{" "}
        <code data-testid="org-id">{org.orgId ?? "unknown"}</code>
        {org.orgRole ? (
          <>
            {" "}
            as <strong data-testid="org-role">{org.orgRole}</strong>
          </>
        ) : null}
        . Projects, people and agents belong to one organization; its owners and admins manage agents and act
        as admins in every project.
      </p>
      <h2 className="font-semibold">Your organizations</h2>
      <ul className="grid gap-2 text-sm" data-testid="organizations">
        {choices.map((choice) => (
          <li key={choice.id} className="flex flex-wrap items-center gap-x-3 gap-y-1">
            <span className="font-medium">{choice.name}</span>
            {choice.role ? <span className="text-slate-500">{choice.role}</span> : null}
            {choice.active ? (
              <span className="text-green-700 dark:text-green-400">active</span>
            ) : (
              <form method="post" action="/api/auth/switch-organization">
                <input type="hidden" name="organizationId" value={choice.id} />
                <button type="submit" className={secondaryButtonClass}>
                  Switch to {choice.name}
                </button>
              </form>
            )}
          </li>
        ))}
      </ul>
      {userinfo === undefined ? (
        <p className="text-sm">
          The sign-in service cannot list your organizations right now. Reload to try again.
        </p>
      ) : listed ? null : (
        // A session signed in before the dashboard asked for the list (the `organizations` scope): authorizing
        // again, silently, grants it.
        <div className="flex flex-wrap items-center gap-2 text-sm">
          <span>The sign-in service has not listed your other organizations for this session yet.</span>
          <form method="post" action="/api/auth/switch-organization">
            <button type="submit" className={buttonClass}>
              Load my organizations
            </button>
          </form>
        </div>
      )}
      <p className="text-sm text-slate-600 dark:text-slate-400">
        To create an organization or accept an invitation, use{" "}
        <a href={account} className="underline">
          your account at the sign-in service
        </a>
        ; it then appears here.
      </p>
    </div>
  );
}
