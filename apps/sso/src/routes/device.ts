import type { Hono } from "hono";
import { clientIdentity } from "../oauth/client-trust.ts";
import { messagePage } from "../pages/auth-pages.ts";
import { field, hidden, html, layout, notice } from "../pages/html.ts";
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

/** RFC 8628: a signed-in person enters the code shown by a CLI or agent and approves it. */
export function registerDevicePages(app: Hono<AppEnv>, services: Services): void {
  const codeForm = (options: { value?: string; error?: string }) =>
    layout({
      title: "Connect a device",
      signedIn: true,
      body: html`<h1>Connect a device</h1>
<p>Enter the code shown by the program that wants to use your TaskFlow account.</p>
<form method="post" action="/device" novalidate>
${field({ name: "user_code", label: "Code", autocomplete: "one-time-code", value: options.value ?? "", error: options.error })}
<div class="actions"><button type="submit">Continue</button></div>
</form>`,
    });

  const review = async (c: AppContext, userCode: string) => {
    const response = await callAuth(services, c, "/device", {
      method: "GET",
      query: { user_code: userCode },
    });
    const body = await readJson(response);
    if (!response.ok || body.status !== "pending" || typeof body.client_id !== "string") {
      const expired = body.error === "expired_token";
      return c.html(
        codeForm({
          value: userCode,
          error: expired ? "This code has expired. Start again on the device." : "This code is not valid.",
        }),
        400,
      );
    }
    const client = await clientIdentity(services.db, body.client_id);
    const scopes = typeof body.scope === "string" ? body.scope.split(" ").filter(Boolean) : [];
    // A self-registered client's name is only what it calls itself (oauth/client-trust.ts).
    const verified = client?.verified ?? false;
    const name = verified ? html`${client?.name}` : html`“${client?.name ?? body.client_id}”`;
    const hosts = client?.redirectHosts ?? [];
    return c.html(
      layout({
        title: "Approve device",
        signedIn: true,
        body: html`<h1>Allow ${name} to use your account?</h1>
${
  verified
    ? notice("Only approve if you started this on your own device just now.")
    : html`<div class="notice error" role="alert"><p><strong>Unverified application.</strong> It registered itself with TaskFlow: nobody has checked who runs it, and “${client?.name ?? body.client_id}” is only the name it gave itself. Only approve if you started this on your own device just now.</p></div>`
}
<p>It asks for: ${scopes.join(", ") || "basic access"}.</p>
${hosts.length > 0 ? html`<p>Addresses it registered: <strong>${hosts.join(", ")}</strong>.</p>` : ""}
<form method="post" action="/device/decision">
${hidden("user_code", userCode)}
<div class="actions"><button type="submit" name="decision" value="approve">Approve</button><button class="secondary" type="submit" name="decision" value="deny">Deny</button></div>
</form>`,
      }),
    );
  };

  app.get("/device", async (c) => {
    const session = await currentSession(services, c);
    const userCode = c.req.query("user_code");
    const here = `/device${userCode ? `?user_code=${encodeURIComponent(userCode)}` : ""}`;
    if (!session) return c.redirect(`/sign-in?callbackURL=${encodeURIComponent(here)}`, 303);
    if (userCode) return review(c, userCode);
    return c.html(codeForm({}));
  });

  app.post("/device", async (c) => {
    if (crossSitePost(services, c)) return c.text("Cross-site request refused", 403);
    const session = await currentSession(services, c);
    if (!session) return c.redirect("/sign-in?callbackURL=/device", 303);
    const form = await formBody(c);
    const userCode = (form.user_code ?? "").trim().toUpperCase().replace(/\s+/g, "");
    if (!userCode) return c.html(codeForm({ error: "Enter the code." }), 400);
    return review(c, userCode);
  });

  app.post("/device/decision", async (c) => {
    if (crossSitePost(services, c)) return c.text("Cross-site request refused", 403);
    const session = await currentSession(services, c);
    if (!session) return c.redirect("/sign-in?callbackURL=/device", 303);
    const form = await formBody(c);
    const approve = form.decision === "approve";
    const response = await callAuth(services, c, approve ? "/device/approve" : "/device/deny", {
      body: { userCode: form.user_code ?? "" },
    });
    const body = await readJson(response);
    if (!response.ok) {
      return c.html(
        messagePage("Could not finish", errorMessage(body, "The code is no longer valid."), "error"),
        400,
      );
    }
    return c.html(
      messagePage(
        approve ? "Device connected" : "Request denied",
        approve ? "You can go back to your device now." : "The device was not given access.",
      ),
    );
  });
}
