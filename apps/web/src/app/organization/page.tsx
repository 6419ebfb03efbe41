import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { buttonClass, panelClass, secondaryButtonClass } from "@/components/form-message";
import { config } from "@/env";
import { readSession } from "@/lib/session";
import { orgClaims } from "@/lib/token-claims";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Organization" };

/**
 * Switching organization happens at the SSO: the active organization belongs to the SSO session, and every
 * access token carries it. The dashboard has no SSO session of its own (only tokens), so it sends the person to
 * the SSO's account page and then signs in again to get tokens for the organization chosen there.
 */
export default async function OrganizationPage() {
  const session = await readSession();
  if (!session) redirect("/api/auth/login?returnTo=/organization");
  const org = orgClaims(session.accessToken);
  const account = `${config().ssoIssuer}/account`;
  return (
    <div className={`grid max-w-2xl gap-4 ${panelClass}`}>
      <h1 className="text-2xl font-semibold">Organization</h1>
      <p className="text-sm">
        You are working in organization <code data-testid="org-id">{org.orgId ?? "unknown"}</code>
        {org.orgRole ? (
          <>
            {" "}
            as <strong>{org.orgRole}</strong>
          </>
        ) : null}
        . Projects, people and agents belong to one organization; its owners and admins manage agents and act
        as admins in every project.
      </p>
      <h2 className="font-semibold">Switch organization</h2>
      <ol className="list-decimal pl-5 text-sm">
        <li>
          Open your account at the sign-in service and choose <em>Switch to …</em> next to the organization
          you want (you can also create one or accept an invitation there).
        </li>
        <li>Come back and sign in again: the dashboard then works in the organization you chose.</li>
      </ol>
      <p className="text-sm text-slate-600 dark:text-slate-400">
        The dashboard cannot switch for you: the choice lives in your session at the sign-in service, which
        this dashboard never holds.
      </p>
      <div className="flex flex-wrap gap-2">
        <a href={account} className={buttonClass}>
          Open my account at the sign-in service
        </a>
        <a href="/api/auth/login?returnTo=/" className={secondaryButtonClass}>
          Sign in again
        </a>
      </div>
    </div>
  );
}
