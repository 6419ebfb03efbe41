import { count, desc, eq } from "drizzle-orm";
import type { Hono } from "hono";
import { SCOPES } from "../auth.ts";
import * as schema from "../db/schema.ts";
import { ADMINISTRATOR_MARK, isVerifiedMetadata } from "../oauth/client-trust.ts";
import { messagePage } from "../pages/auth-pages.ts";
import { field, hidden, html, layout, notice } from "../pages/html.ts";
import { linkClientResources } from "../seed.ts";
import {
  type AppContext,
  type AppEnv,
  callAuth,
  crossSitePost,
  currentSession,
  errorMessage,
  formBody,
  readJson,
  type Services,
} from "./context.ts";

function isSeeded(metadata: unknown): boolean {
  return (
    typeof metadata === "object" && metadata !== null && (metadata as { seeded?: unknown }).seeded === true
  );
}

function redirectList(value: string | undefined): string[] | undefined {
  const uris = (value ?? "")
    .split(/\s+/)
    .map((uri) => uri.trim())
    .filter(Boolean);
  if (uris.length === 0 || !uris.every((uri) => URL.canParse(uri))) return undefined;
  return uris;
}

/** Admin pages: users, OAuth clients, organizations. Only for users whose role is "admin". */
export function registerAdminPages(app: Hono<AppEnv>, services: Services): void {
  const guard = async (c: AppContext) => {
    const session = await currentSession(services, c);
    if (!session)
      return { response: c.redirect(`/sign-in?callbackURL=${encodeURIComponent(c.req.path)}`, 303) };
    if ((session.user as { role?: string | null }).role !== "admin") {
      return {
        response: c.html(messagePage("Not allowed", "This page is for administrators.", "error"), 403),
      };
    }
    return { session };
  };
  const back = (c: AppContext, path: string, message: string) =>
    c.redirect(`${path}?message=${encodeURIComponent(message)}`, 303);

  const nav = html`<p><a href="/admin/users">Users</a> · <a href="/admin/clients">OAuth clients</a> · <a href="/admin/organizations">Organizations</a></p>`;

  app.get("/admin", async (c) => {
    const { response } = await guard(c);
    if (response) return response;
    return c.redirect("/admin/users", 303);
  });

  app.get("/admin/users", async (c) => {
    const { response, session } = await guard(c);
    if (response) return response;
    const users = await services.db
      .select()
      .from(schema.user)
      .orderBy(desc(schema.user.createdAt))
      .limit(500);
    return c.html(
      layout({
        title: "Users",
        wide: true,
        signedIn: true,
        body: html`<h1>Users</h1>${nav}${notice(c.req.query("message"))}
<table><thead><tr><th scope="col">Email</th><th scope="col">Name</th><th scope="col">Verified</th><th scope="col">Role</th><th scope="col">Status</th><th scope="col">Actions</th></tr></thead><tbody>
${users.map(
  (user) =>
    html`<tr><td>${user.email}</td><td>${user.name}</td><td>${user.emailVerified ? "yes" : "no"}</td><td>${user.role ?? "user"}</td><td>${user.banned ? "disabled" : "active"}</td><td>${
      user.id === session?.user.id
        ? html`<span class="muted">you</span>`
        : html`<form class="inline" method="post" action="/admin/users/status">${hidden("userId", user.id)}${hidden("action", user.banned ? "enable" : "disable")}<button class="secondary" type="submit">${user.banned ? "Re-enable" : "Disable"}</button></form>
<form class="inline" method="post" action="/admin/users/role">${hidden("userId", user.id)}${hidden("role", user.role === "admin" ? "user" : "admin")}<button class="secondary" type="submit">${user.role === "admin" ? "Make user" : "Make admin"}</button></form>`
    }</td></tr>`,
)}
</tbody></table>`,
      }),
    );
  });

  app.post("/admin/users/status", async (c) => {
    if (crossSitePost(services, c)) return c.text("Cross-site request refused", 403);
    const { response } = await guard(c);
    if (response) return response;
    const form = await formBody(c);
    const disable = form.action === "disable";
    const result = await callAuth(services, c, disable ? "/admin/ban-user" : "/admin/unban-user", {
      body: disable
        ? { userId: form.userId, banReason: "Disabled by an administrator" }
        : { userId: form.userId },
    });
    const body = await readJson(result);
    return back(
      c,
      "/admin/users",
      result.ok ? (disable ? "User disabled." : "User re-enabled.") : errorMessage(body, "Failed."),
    );
  });

  app.post("/admin/users/role", async (c) => {
    if (crossSitePost(services, c)) return c.text("Cross-site request refused", 403);
    const { response } = await guard(c);
    if (response) return response;
    const form = await formBody(c);
    const role = form.role === "admin" ? "admin" : "user";
    const result = await callAuth(services, c, "/admin/set-role", { body: { userId: form.userId, role } });
    const body = await readJson(result);
    return back(c, "/admin/users", result.ok ? `Role set to ${role}.` : errorMessage(body, "Failed."));
  });

  const clientsPage = async (c: AppContext, created?: { clientId: string; clientSecret?: string }) => {
    const clients = await services.db
      .select()
      .from(schema.oauthClient)
      .orderBy(desc(schema.oauthClient.createdAt));
    return c.html(
      layout({
        title: "OAuth clients",
        wide: true,
        signedIn: true,
        body: html`<h1>OAuth clients</h1>${nav}${notice(c.req.query("message"))}
${
  created
    ? html`<div class="notice" role="status"><p>Client <strong>${created.clientId}</strong> registered.</p>${
        created.clientSecret
          ? html`<p>Its secret, shown only this once: <code>${created.clientSecret}</code></p>`
          : html`<p>Public client: no secret; PKCE is required.</p>`
      }</div>`
    : ""
}
<table><thead><tr><th scope="col">Name</th><th scope="col">Client id</th><th scope="col">Type</th><th scope="col">Redirect URIs</th><th scope="col">Actions</th></tr></thead><tbody>
${clients.map((client) => {
  const seeded = isSeeded(client.metadata);
  return html`<tr><td>${client.name ?? ""}${seeded ? html` <span class="muted">(from configuration)</span>` : ""}${isVerifiedMetadata(client.metadata) ? "" : html` <span class="muted">(self-registered, unverified)</span>`}</td><td><code>${client.clientId}</code></td><td>${
    client.tokenEndpointAuthMethod === "none" ? "public" : "confidential"
  }</td><td>${
    seeded
      ? (client.redirectUris ?? []).join(" ")
      : html`<form method="post" action="/admin/clients/redirects">${hidden("clientId", client.clientId)}<label for="r-${client.id}">Redirect URIs (space separated)</label><input id="r-${client.id}" name="redirect_uris" value="${(client.redirectUris ?? []).join(" ")}"><button class="secondary" type="submit">Save</button></form>`
  }</td><td>${
    seeded
      ? html`<span class="muted">protected</span>`
      : html`<form class="inline" method="post" action="/admin/clients/delete">${hidden("clientId", client.clientId)}<button class="secondary" type="submit">Delete</button></form>`
  }</td></tr>`;
})}
</tbody></table>
<h2>Register a client</h2>
<form method="post" action="/admin/clients">
${field({ name: "name", label: "Name" })}
${field({ name: "redirect_uris", label: "Redirect URIs (space separated)" })}
<div><label for="field-type">Type</label><select id="field-type" name="type"><option value="confidential">confidential (server side, has a secret)</option><option value="public">public (native app or CLI, PKCE)</option></select></div>
<div class="actions"><button type="submit">Register</button></div>
</form>`,
      }),
    );
  };

  app.get("/admin/clients", async (c) => {
    const { response } = await guard(c);
    if (response) return response;
    return clientsPage(c);
  });

  app.post("/admin/clients", async (c) => {
    if (crossSitePost(services, c)) return c.text("Cross-site request refused", 403);
    const { response } = await guard(c);
    if (response) return response;
    const form = await formBody(c);
    const redirectUris = redirectList(form.redirect_uris);
    if (!form.name?.trim() || !redirectUris) {
      return back(c, "/admin/clients", "Give a name and at least one valid redirect URI.");
    }
    const isPublic = form.type === "public";
    const loopback = redirectUris.every((uri) =>
      ["localhost", "127.0.0.1", "[::1]"].includes(new URL(uri).hostname),
    );
    try {
      const created = await services.auth.api.adminCreateOAuthClient({
        headers: c.req.raw.headers,
        body: {
          client_name: form.name.trim(),
          redirect_uris: redirectUris,
          token_endpoint_auth_method: isPublic ? "none" : "client_secret_basic",
          application_type: loopback ? "native" : "web",
          grant_types: ["authorization_code", "refresh_token"],
          response_types: ["code"],
          scope: SCOPES.join(" "),
          enable_end_session: true,
        },
      });
      // Verified: an administrator chose its name and redirect addresses (oauth/client-trust.ts).
      await services.db
        .update(schema.oauthClient)
        .set({ metadata: ADMINISTRATOR_MARK })
        .where(eq(schema.oauthClient.clientId, created.client_id));
      await linkClientResources(services.db, created.client_id, [
        services.config.apiAudience,
        services.config.mcpResourceUrl,
      ]);
      return clientsPage(c, {
        clientId: created.client_id,
        ...(created.client_secret ? { clientSecret: created.client_secret } : {}),
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : "Registration failed.";
      return back(c, "/admin/clients", message);
    }
  });

  const editable = async (clientId: string | undefined) => {
    if (!clientId) return undefined;
    const rows = await services.db
      .select()
      .from(schema.oauthClient)
      .where(eq(schema.oauthClient.clientId, clientId))
      .limit(1);
    const client = rows[0];
    return client && !isSeeded(client.metadata) ? client : undefined;
  };

  app.post("/admin/clients/redirects", async (c) => {
    if (crossSitePost(services, c)) return c.text("Cross-site request refused", 403);
    const { response } = await guard(c);
    if (response) return response;
    const form = await formBody(c);
    const client = await editable(form.clientId);
    if (!client) return back(c, "/admin/clients", "That client cannot be edited here.");
    const redirectUris = redirectList(form.redirect_uris);
    if (!redirectUris) return back(c, "/admin/clients", "Give at least one valid redirect URI.");
    await services.db
      .update(schema.oauthClient)
      .set({ redirectUris, updatedAt: new Date() })
      .where(eq(schema.oauthClient.clientId, client.clientId));
    return back(c, "/admin/clients", "Redirect URIs saved.");
  });

  app.post("/admin/clients/delete", async (c) => {
    if (crossSitePost(services, c)) return c.text("Cross-site request refused", 403);
    const { response } = await guard(c);
    if (response) return response;
    const form = await formBody(c);
    const client = await editable(form.clientId);
    if (!client) return back(c, "/admin/clients", "That client cannot be deleted here.");
    await services.db.delete(schema.oauthClient).where(eq(schema.oauthClient.clientId, client.clientId));
    return back(c, "/admin/clients", "Client deleted.");
  });

  app.get("/admin/organizations", async (c) => {
    const { response } = await guard(c);
    if (response) return response;
    const organizations = await services.db
      .select({
        id: schema.organization.id,
        name: schema.organization.name,
        slug: schema.organization.slug,
        createdAt: schema.organization.createdAt,
        members: count(schema.member.id),
      })
      .from(schema.organization)
      .leftJoin(schema.member, eq(schema.member.organizationId, schema.organization.id))
      .groupBy(schema.organization.id)
      .orderBy(desc(schema.organization.createdAt))
      .limit(500);
    return c.html(
      layout({
        title: "Organizations",
        wide: true,
        signedIn: true,
        body: html`<h1>Organizations</h1>${nav}
<table><thead><tr><th scope="col">Name</th><th scope="col">Slug</th><th scope="col">Members</th><th scope="col">Created</th></tr></thead><tbody>
${organizations.map(
  (org) =>
    html`<tr><td>${org.name}</td><td>${org.slug}</td><td>${org.members}</td><td>${org.createdAt.toISOString()}</td></tr>`,
)}
</tbody></table>`,
      }),
    );
  });
}
