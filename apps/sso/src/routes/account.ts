import { and, eq } from "drizzle-orm";
import type { Hono } from "hono";
import * as schema from "../db/schema.ts";
import { messagePage, USERNAME_HINT } from "../pages/auth-pages.ts";
import { field, hidden, html, layout, notice } from "../pages/html.ts";
import {
  type AppContext,
  type AppEnv,
  callAuth,
  crossSitePost,
  currentSession,
  errorCode,
  errorMessage,
  formBody,
  forwardCookies,
  readJson,
  type Services,
  usernameProblem,
  validUsername,
} from "./context.ts";

type Session = NonNullable<Awaited<ReturnType<typeof currentSession>>>;

/** What a refused account form shows next to its fields (the page is rendered again, not redirected). */
interface AccountFormState {
  message?: string;
  messageKind?: "info" | "error";
  errors?: Record<string, string>;
  values?: Record<string, string>;
}

export function registerAccountPages(app: Hono<AppEnv>, services: Services): void {
  async function accountPage(session: Session, state: AccountFormState): Promise<string> {
    const errors = state.errors ?? {};
    const values = state.values ?? {};
    const activeOrganizationId = (session.session as { activeOrganizationId?: string | null })
      .activeOrganizationId;
    const organizations = await services.db
      .select({ id: schema.organization.id, name: schema.organization.name, role: schema.member.role })
      .from(schema.member)
      .innerJoin(schema.organization, eq(schema.member.organizationId, schema.organization.id))
      .where(eq(schema.member.userId, session.user.id));
    const invitations = await services.db
      .select({
        id: schema.invitation.id,
        organization: schema.organization.name,
        role: schema.invitation.role,
      })
      .from(schema.invitation)
      .innerJoin(schema.organization, eq(schema.invitation.organizationId, schema.organization.id))
      .where(and(eq(schema.invitation.email, session.user.email), eq(schema.invitation.status, "pending")));
    const sessions = await services.db
      .select({
        id: schema.session.id,
        token: schema.session.token,
        createdAt: schema.session.createdAt,
        userAgent: schema.session.userAgent,
        ipAddress: schema.session.ipAddress,
      })
      .from(schema.session)
      .where(eq(schema.session.userId, session.user.id));
    const handle = (session.user as { username?: string | null }).username ?? "";
    return layout({
      title: "Your account",
      wide: true,
      signedIn: true,
      body: html`<h1>Your account</h1>
${notice(state.message, state.messageKind)}
<p><strong>${session.user.name}</strong> · ${session.user.email}${handle ? html` · handle <strong>${handle}</strong>` : ""}</p>
<h2>Organizations</h2>
<table><thead><tr><th scope="col">Name</th><th scope="col">Your role</th><th scope="col">Active</th></tr></thead><tbody>
${organizations.map(
  (org) =>
    html`<tr><td>${org.name}</td><td>${org.role}</td><td>${
      org.id === activeOrganizationId
        ? "active"
        : html`<form class="inline" method="post" action="/account/active-organization">${hidden("organizationId", org.id)}<button class="secondary" type="submit">Switch to ${org.name}</button></form>`
    }</td></tr>`,
)}
</tbody></table>
<form method="post" action="/account/organizations">
${field({ name: "name", label: "New organization name" })}
<div class="actions"><button type="submit">Create organization</button></div>
</form>
<form method="post" action="/account/invitations">
${field({ name: "email", label: "Invite by email to the active organization", type: "email" })}
<div><label for="field-role">Role</label><select id="field-role" name="role"><option value="member">member</option><option value="admin">admin</option><option value="owner">owner</option></select></div>
<div class="actions"><button type="submit">Send invitation</button></div>
</form>
<h2>Invitations for you</h2>
${
  invitations.length === 0
    ? html`<p class="muted">None.</p>`
    : html`<ul>${invitations.map((inv) => html`<li><a href="/accept-invitation?id=${inv.id}">${inv.organization} (${inv.role ?? "member"})</a></li>`)}</ul>`
}
<h2>Profile</h2>
<form method="post" action="/account/profile">
${field({ name: "name", label: "Name", autocomplete: "name", value: session.user.name })}
<div class="actions"><button type="submit">Save name</button></div>
</form>
<form method="post" action="/account/username">
${field({ name: "username", label: "Handle", autocomplete: "username", value: values.username ?? handle, required: false, error: errors.username, hint: `${USERNAME_HINT} Leave it empty to have none.` })}
<div class="actions"><button type="submit">Save handle</button></div>
</form>
<form method="post" action="/account/email">
${field({ name: "newEmail", label: "New email address", type: "email", autocomplete: "email", hint: "We send a confirmation link to the new address; the change happens when you follow it." })}
<div class="actions"><button type="submit">Change email</button></div>
</form>
<h2>Password</h2>
<form method="post" action="/account/password">
${field({ name: "currentPassword", label: "Current password", type: "password", autocomplete: "current-password", error: errors.currentPassword })}
${field({ name: "newPassword", label: "New password", type: "password", autocomplete: "new-password", error: errors.newPassword, hint: "At least 10 characters, and not your email address or handle." })}
<div class="actions"><button type="submit">Change password</button></div>
</form>
<h2>Sessions</h2>
<table><thead><tr><th scope="col">Started</th><th scope="col">Device</th><th scope="col"></th></tr></thead><tbody>
${sessions.map(
  (s) =>
    html`<tr><td>${s.createdAt.toISOString()}</td><td>${s.userAgent ?? "unknown"} ${s.ipAddress ?? ""}</td><td>${
      s.id === session.session.id
        ? "this session"
        : html`<form class="inline" method="post" action="/account/sessions/revoke">${hidden("token", s.token)}<button class="secondary" type="submit">Revoke</button></form>`
    }</td></tr>`,
)}
</tbody></table>
<h2>Delete account</h2>
<form method="post" action="/account/delete">
${field({ name: "password", label: "Your password, to confirm", type: "password", autocomplete: "current-password" })}
<div class="actions"><button type="submit">Delete my account</button></div>
</form>`,
    });
  }

  app.get("/account", async (c) => {
    const session = await currentSession(services, c);
    if (!session) return c.redirect("/sign-in?callbackURL=/account", 303);
    const message = c.req.query("message");
    return c.html(await accountPage(session, message ? { message } : {}));
  });

  app.post("/account/active-organization", async (c) =>
    proxyForm(
      c,
      "/organization/set-active",
      (f) => ({ organizationId: f.organizationId }),
      "Active organization changed.",
    ),
  );
  app.post("/account/organizations", async (c) =>
    proxyForm(
      c,
      "/organization/create",
      (f) => ({
        name: f.name,
        slug: `${(f.name ?? "org")
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, "-")
          .slice(0, 40)}-${Date.now().toString(36)}`,
      }),
      "Organization created.",
    ),
  );
  app.post("/account/invitations", async (c) =>
    proxyForm(
      c,
      "/organization/invite-member",
      (f) => ({ email: f.email, role: f.role ?? "member" }),
      "Invitation sent.",
    ),
  );
  app.post("/account/password", async (c) => {
    if (crossSitePost(services, c)) return c.text("Cross-site request refused", 403);
    const session = await currentSession(services, c);
    if (!session) return c.redirect("/sign-in?callbackURL=/account", 303);
    const form = await formBody(c);
    const refused = async (status: 400 | 429, errors: Record<string, string>, message: string) =>
      c.html(await accountPage(session, { errors, message, messageKind: "error" }), status);
    if (!form.currentPassword || !form.newPassword) {
      return refused(
        400,
        {
          ...(form.currentPassword ? {} : { currentPassword: "Enter your current password." }),
          ...(form.newPassword ? {} : { newPassword: "Choose a new password." }),
        },
        "The password was not changed.",
      );
    }
    const response = await callAuth(services, c, "/change-password", {
      body: {
        currentPassword: form.currentPassword,
        newPassword: form.newPassword,
        revokeOtherSessions: true,
      },
    });
    const body = await readJson(response);
    forwardCookies(response, c);
    if (response.ok) return c.redirect(`/account?message=${encodeURIComponent("Password changed.")}`, 303);
    if (response.status === 429) return refused(429, {}, "Too many attempts. Wait a minute and try again.");
    const code = errorCode(body);
    if (code === "INVALID_PASSWORD") {
      return refused(
        400,
        { currentPassword: "That is not your current password." },
        "The password was not changed.",
      );
    }
    return refused(
      400,
      { newPassword: errorMessage(body, "Choose a stronger password.") },
      "The password was not changed.",
    );
  });
  app.post("/account/profile", async (c) =>
    proxyForm(c, "/update-user", (f) => ({ name: (f.name ?? "").trim() }), "Name saved."),
  );
  app.post("/account/username", async (c) => {
    if (crossSitePost(services, c)) return c.text("Cross-site request refused", 403);
    const session = await currentSession(services, c);
    if (!session) return c.redirect("/sign-in?callbackURL=/account", 303);
    const form = await formBody(c);
    const username = (form.username ?? "").trim();
    const refused = async (problem: string) =>
      c.html(
        await accountPage(session, {
          errors: { username: problem },
          values: { username },
          message: "The handle was not saved.",
          messageKind: "error",
        }),
        400,
      );
    if (username && !validUsername(username)) return refused(usernameProblem("INVALID_USERNAME") ?? "");
    // Empty removes the handle; Better Auth's username plugin checks format and uniqueness.
    const response = await callAuth(services, c, "/update-user", { body: { username: username || null } });
    const body = await readJson(response);
    forwardCookies(response, c);
    if (!response.ok)
      return refused(usernameProblem(errorCode(body)) ?? errorMessage(body, "That did not work."));
    const done = username ? "Handle saved." : "Handle removed.";
    return c.redirect(`/account?message=${encodeURIComponent(done)}`, 303);
  });
  app.post("/account/email", async (c) =>
    proxyForm(
      c,
      "/change-email",
      (f) => ({ newEmail: f.newEmail ?? "", callbackURL: "/account" }),
      "Check the new address for a confirmation link.",
    ),
  );
  app.post("/account/delete", async (c) => {
    if (crossSitePost(services, c)) return c.text("Cross-site request refused", 403);
    const session = await currentSession(services, c);
    if (!session) return c.redirect("/sign-in", 303);
    const form = await formBody(c);
    const response = await callAuth(services, c, "/delete-user", { body: { password: form.password ?? "" } });
    const body = await readJson(response);
    forwardCookies(response, c);
    if (!response.ok) {
      return c.redirect(
        `/account?message=${encodeURIComponent(errorMessage(body, "Could not delete the account."))}`,
        303,
      );
    }
    return c.html(
      messagePage("Account deleted", "Your account and the organizations only you belonged to are gone."),
    );
  });
  app.post("/account/sessions/revoke", async (c) =>
    proxyForm(c, "/revoke-session", (f) => ({ token: f.token }), "Session revoked."),
  );

  async function proxyForm(
    c: AppContext,
    path: string,
    build: (form: Record<string, string>) => Record<string, unknown>,
    done: string,
  ) {
    if (crossSitePost(services, c)) return c.text("Cross-site request refused", 403);
    const session = await currentSession(services, c);
    if (!session) return c.redirect("/sign-in?callbackURL=/account", 303);
    const form = await formBody(c);
    const response = await callAuth(services, c, path, { body: build(form) });
    const body = await readJson(response);
    forwardCookies(response, c);
    const message = response.ok ? done : errorMessage(body, "That did not work.");
    return c.redirect(`/account?message=${encodeURIComponent(message)}`, 303);
  }

  app.get("/accept-invitation", async (c) => {
    const id = c.req.query("id") ?? "";
    const session = await currentSession(services, c);
    if (!session)
      return c.redirect(`/sign-in?callbackURL=${encodeURIComponent(`/accept-invitation?id=${id}`)}`, 303);
    const rows = await services.db
      .select({
        id: schema.invitation.id,
        email: schema.invitation.email,
        status: schema.invitation.status,
        role: schema.invitation.role,
        organization: schema.organization.name,
      })
      .from(schema.invitation)
      .innerJoin(schema.organization, eq(schema.invitation.organizationId, schema.organization.id))
      .where(eq(schema.invitation.id, id))
      .limit(1);
    const invitation = rows[0];
    if (
      invitation?.status !== "pending" ||
      invitation.email.toLowerCase() !== session.user.email.toLowerCase()
    ) {
      return c.html(
        messagePage(
          "Invitation not found",
          "This invitation does not exist, is not for you, or was already answered.",
          "error",
        ),
        404,
      );
    }
    return c.html(
      layout({
        title: "Invitation",
        signedIn: true,
        body: html`<h1>Join ${invitation.organization}?</h1>
<p>You were invited as <strong>${invitation.role ?? "member"}</strong>.</p>
<form method="post" action="/accept-invitation">
${hidden("invitationId", invitation.id)}
<div class="actions"><button type="submit" name="decision" value="accept">Accept</button><button class="secondary" type="submit" name="decision" value="reject">Decline</button></div>
</form>`,
      }),
    );
  });

  app.post("/accept-invitation", async (c) => {
    if (crossSitePost(services, c)) return c.text("Cross-site request refused", 403);
    const session = await currentSession(services, c);
    if (!session) return c.redirect("/sign-in", 303);
    const form = await formBody(c);
    const accept = form.decision !== "reject";
    const response = await callAuth(
      services,
      c,
      accept ? "/organization/accept-invitation" : "/organization/reject-invitation",
      {
        body: { invitationId: form.invitationId ?? "" },
      },
    );
    const body = await readJson(response);
    forwardCookies(response, c);
    if (!response.ok)
      return c.html(
        messagePage("Could not answer the invitation", errorMessage(body, "Try again."), "error"),
        400,
      );
    return c.redirect(
      `/account?message=${encodeURIComponent(accept ? "Invitation accepted." : "Invitation declined.")}`,
      303,
    );
  });
}
