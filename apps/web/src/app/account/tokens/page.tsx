import type { PersonalToken } from "@taskflow/contracts";
import type { Metadata } from "next";
import { panelClass } from "@/components/form-message";
import { PersonalTokenForm, RevokePersonalToken } from "@/components/personal-tokens";
import { When } from "@/components/when";
import { config } from "@/env";
import { keyState } from "@/lib/agent-work";
import { apiCall } from "@/lib/api";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Personal access tokens" };

/**
 * A person's tokens for scripts: made and revoked here (through the API's /api/personal-tokens, with the
 * session's sign-in), listed with their scopes, expiry and last use. The token itself is shown once.
 */
export default async function PersonalTokensPage() {
  const tokens = await apiCall<PersonalToken[]>("/api/personal-tokens", { returnTo: "/account/tokens" });
  const now = new Date();
  return (
    <div className="grid gap-6 md:grid-cols-[3fr_2fr]">
      <section aria-labelledby="tokens-heading" className={`grid content-start gap-3 ${panelClass}`}>
        <h1 id="tokens-heading" className="text-2xl font-semibold">
          Personal access tokens
        </h1>
        <p className="text-sm">
          A token lets a script call the TaskFlow API (and the MCP server) as you:{" "}
          <code>Authorization: Bearer tfp_…</code>. It can do what its scopes allow, in the projects you are a
          member of, with your role there; it does not carry your organization role. Changes made with it are
          recorded as yours, marked <code>pat</code>. Every token expires; revoke one as soon as you no longer
          need it.
        </p>
        {!tokens.ok ? (
          <p className="text-sm text-slate-500">{tokens.problem.detail ?? "Your tokens cannot be listed."}</p>
        ) : tokens.data.length === 0 ? (
          <p className="text-sm text-slate-500">No tokens yet.</p>
        ) : (
          <ul className="grid gap-2 text-sm" data-testid="personal-tokens">
            {tokens.data.map((token) => {
              const state = keyState(token, now);
              return (
                <li key={token.id} className="flex flex-wrap items-center gap-x-3 gap-y-1">
                  <span className="font-medium">{token.name}</span>
                  <code>…{token.lastChars}</code>
                  <span
                    className={
                      state === "active"
                        ? "text-green-700 dark:text-green-400"
                        : "text-slate-500 line-through decoration-1"
                    }
                  >
                    {state}
                  </span>
                  <span className="text-xs text-slate-500">
                    {token.scopes.join(", ")} · created <When iso={token.createdAt} /> · expires{" "}
                    <When iso={token.expiresAt} />
                    {token.lastUsedAt ? (
                      <>
                        {" · last used "}
                        <When iso={token.lastUsedAt} show="relative" />
                      </>
                    ) : (
                      " · never used"
                    )}
                  </span>
                  {state === "active" ? <RevokePersonalToken token={token} /> : null}
                </li>
              );
            })}
          </ul>
        )}
      </section>
      {/* The API as tokens name it (its audience): its public address where one is set. */}
      <PersonalTokenForm apiUrl={config().apiAudience} />
    </div>
  );
}
