import type { Hono } from "hono";
import { clientIdentity, redirectHost } from "../oauth/client-trust.ts";
import {
  consentPage,
  forgotPasswordPage,
  messagePage,
  resetPasswordPage,
  signInPage,
  signUpPage,
  verificationFailedPage,
} from "../pages/auth-pages.ts";
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
  safeLocalPath,
  signedOAuthQuery,
  usernameProblem,
  validUsername,
  verificationCallback,
} from "./context.ts";

function search(c: AppContext): string {
  return new URL(c.req.url).search;
}

function redirectTarget(body: Record<string, unknown>): string | undefined {
  return typeof body.url === "string" ? body.url : undefined;
}

export function registerAuthPages(app: Hono<AppEnv>, services: Services): void {
  const upstream = services.config.upstreamOidc?.name;

  app.get("/sign-in", async (c) => {
    const oauthQuery = signedOAuthQuery(search(c));
    const callbackURL = c.req.query("callbackURL");
    const verified = c.req.query("verified") !== undefined;
    // A confirmation link that did not work comes back with error=TOKEN_EXPIRED / INVALID_TOKEN / …:
    // say so (never "confirmed"), and offer a new link.
    const verifyError = verified ? c.req.query("error") : undefined;
    if (verifyError) {
      return c.html(
        verificationFailedPage({ error: verifyError, ...(oauthQuery ? { oauthQuery } : {}) }),
        400,
      );
    }
    // Already signed in and not in the middle of an authorization request: nothing to do here.
    if (!oauthQuery && (await currentSession(services, c))) {
      const confirmed = "/account?message=Your%20email%20address%20is%20confirmed.";
      return c.redirect(verified ? confirmed : safeLocalPath(services, callbackURL), 303);
    }
    return c.html(
      signInPage({
        ...(oauthQuery ? { oauthQuery } : {}),
        ...(callbackURL ? { callbackURL: safeLocalPath(services, callbackURL) } : {}),
        ...(upstream ? { upstream } : {}),
        ...(verified ? { message: "Your email address is confirmed. You can sign in." } : {}),
        ...(c.req.query("reset") ? { message: "Your password was changed. Sign in with the new one." } : {}),
      }),
    );
  });

  app.post("/sign-in", async (c) => {
    if (crossSitePost(services, c)) return c.text("Cross-site request refused", 403);
    const form = await formBody(c);
    const oauthQuery = form.oauth_query ? signedOAuthQuery(form.oauth_query) : undefined;
    const callbackURL = safeLocalPath(services, form.callbackURL);
    const identifier = (form.email ?? "").trim();
    const again = (status: 400 | 401 | 403 | 429, message: string, errors?: Record<string, string>) =>
      c.html(
        signInPage({
          values: { email: identifier },
          ...(errors ? { errors } : {}),
          message,
          messageKind: "error",
          ...(oauthQuery ? { oauthQuery } : {}),
          callbackURL,
          ...(upstream ? { upstream } : {}),
        }),
        status,
      );
    if (!identifier || !form.password) {
      return again(400, "Enter your email (or handle) and password.", {
        ...(identifier ? {} : { email: "Enter your email address or handle." }),
        ...(form.password ? {} : { password: "Enter your password." }),
      });
    }
    // An address has an @, a handle never does. A link re-sent to an unconfirmed address lands on our
    // sign-in again (carrying the authorization request), not on Better Auth's default "/".
    const afterVerification = verificationCallback(oauthQuery);
    const byEmail = identifier.includes("@");
    const response = await callAuth(services, c, byEmail ? "/sign-in/email" : "/sign-in/username", {
      body: {
        ...(byEmail ? { email: identifier } : { username: identifier }),
        password: form.password,
        rememberMe: true,
        callbackURL: afterVerification,
        ...(oauthQuery ? { oauth_query: oauthQuery } : {}),
      },
    });
    const body = await readJson(response);
    if (response.status === 429) return again(429, "Too many attempts. Wait a minute and try again.");
    if (response.status === 403 && errorCode(body) === "EMAIL_NOT_VERIFIED") {
      return again(403, "Confirm your email address first: we sent you a new link.");
    }
    // The same answer for an unknown address or handle, a malformed handle and a wrong password.
    if (!response.ok) return again(401, "Invalid email, handle or password.");
    forwardCookies(response, c);
    const target = redirectTarget(body);
    return c.redirect(target && target !== afterVerification ? target : callbackURL, 303);
  });

  app.post("/sign-in/upstream", async (c) => {
    if (crossSitePost(services, c)) return c.text("Cross-site request refused", 403);
    if (!services.config.upstreamOidc) return c.notFound();
    const form = await formBody(c);
    const oauthQuery = form.oauth_query ? signedOAuthQuery(form.oauth_query) : undefined;
    // Generic OIDC providers go through Better Auth's social sign-in (callback: /api/auth/callback/upstream).
    const response = await callAuth(services, c, "/sign-in/social", {
      body: {
        provider: "upstream",
        callbackURL: safeLocalPath(services, form.callbackURL),
        errorCallbackURL: "/sign-in",
        ...(oauthQuery ? { oauth_query: oauthQuery } : {}),
      },
    });
    const body = await readJson(response);
    forwardCookies(response, c);
    const target = redirectTarget(body);
    if (!response.ok || !target)
      return c.html(messagePage("Sign-in failed", errorMessage(body, "Try again."), "error"), 502);
    return c.redirect(target, 303);
  });

  app.get("/sign-up", (c) => {
    const oauthQuery = signedOAuthQuery(search(c));
    return c.html(signUpPage(oauthQuery ? { oauthQuery } : {}));
  });

  app.post("/sign-up", async (c) => {
    if (crossSitePost(services, c)) return c.text("Cross-site request refused", 403);
    const form = await formBody(c);
    const oauthQuery = form.oauth_query ? signedOAuthQuery(form.oauth_query) : undefined;
    const username = (form.username ?? "").trim();
    const errors: Record<string, string> = {};
    if (!form.name?.trim()) errors.name = "Enter your name.";
    if (!form.email || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(form.email))
      errors.email = "Enter a valid email address.";
    if (username && !validUsername(username)) errors.username = usernameProblem("INVALID_USERNAME") ?? "";
    if (!form.password) errors.password = "Choose a password.";
    const again = (status: 400 | 429, message: string) =>
      c.html(
        signUpPage({
          values: { name: form.name ?? "", email: form.email ?? "", username },
          errors,
          message,
          messageKind: "error",
          ...(oauthQuery ? { oauthQuery } : {}),
        }),
        status,
      );
    if (Object.keys(errors).length > 0) return again(400, "Check the highlighted fields.");
    const response = await callAuth(services, c, "/sign-up/email", {
      body: {
        name: form.name?.trim(),
        email: form.email,
        password: form.password,
        ...(username ? { username } : {}),
        // After the link, an authorization request that sent the person here can carry on.
        callbackURL: verificationCallback(oauthQuery),
      },
    });
    const body = await readJson(response);
    if (response.status === 429) return again(429, "Too many attempts. Wait a minute and try again.");
    if (response.status === 400 || response.status === 422) {
      const code = errorCode(body);
      if (code === "PASSWORD_POLICY" || code?.startsWith("PASSWORD")) {
        errors.password = errorMessage(body, "Choose a stronger password.");
        return again(400, "Check the highlighted fields.");
      }
      if (code === "INVALID_EMAIL") {
        errors.email = "Enter a valid email address.";
        return again(400, "Check the highlighted fields.");
      }
      const handle = usernameProblem(code);
      if (handle) {
        errors.username = handle;
        return again(400, "Check the highlighted fields.");
      }
    }
    if (!services.config.requireEmailVerification && response.ok) {
      forwardCookies(response, c);
      return c.redirect("/account", 303);
    }
    // The same answer whether or not the address already has an account (no enumeration).
    return c.html(
      messagePage(
        "Check your inbox",
        `If ${form.email} can be used for a new account, we sent a confirmation link to it. Follow the link to finish.`,
      ),
    );
  });

  // A new confirmation link, from the page a failed one lands on. The same answer for every address
  // (Better Auth's endpoint also takes the same time whether or not it sent a mail).
  app.post("/verify-email/resend", async (c) => {
    if (crossSitePost(services, c)) return c.text("Cross-site request refused", 403);
    const form = await formBody(c);
    const oauthQuery = form.oauth_query ? signedOAuthQuery(form.oauth_query) : undefined;
    const email = (form.email ?? "").trim();
    const again = (status: 400 | 429, state: { message?: string; errors?: Record<string, string> }) =>
      c.html(
        verificationFailedPage({
          error: "INVALID_TOKEN",
          values: { email },
          ...state,
          ...(state.message ? { messageKind: "error" as const } : {}),
          ...(oauthQuery ? { oauthQuery } : {}),
        }),
        status,
      );
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) {
      return again(400, { errors: { email: "Enter the email address you signed up with." } });
    }
    const response = await callAuth(services, c, "/send-verification-email", {
      body: { email, callbackURL: verificationCallback(oauthQuery) },
      withoutSession: true,
    });
    if (response.status === 429) {
      return again(429, { message: "Too many requests. Wait a few minutes and try again." });
    }
    return c.html(
      messagePage(
        "Check your inbox",
        `If ${email} belongs to an account that is waiting for confirmation, we sent a new link to it.`,
      ),
    );
  });

  app.get("/forgot-password", (c) => c.html(forgotPasswordPage({})));

  app.post("/forgot-password", async (c) => {
    if (crossSitePost(services, c)) return c.text("Cross-site request refused", 403);
    const form = await formBody(c);
    if (!form.email) {
      return c.html(forgotPasswordPage({ errors: { email: "Enter your email address." } }), 400);
    }
    const response = await callAuth(services, c, "/request-password-reset", {
      body: { email: form.email, redirectTo: `${services.config.baseUrl}/reset-password` },
    });
    if (response.status === 429) {
      return c.html(
        forgotPasswordPage({
          values: form,
          message: "Too many requests. Try again later.",
          messageKind: "error",
        }),
        429,
      );
    }
    // Same answer for known and unknown addresses.
    return c.html(
      messagePage(
        "Check your inbox",
        "If an account uses that address, we sent it a link to choose a new password.",
      ),
    );
  });

  app.get("/reset-password", (c) => {
    const token = c.req.query("token");
    if (!token || c.req.query("error")) {
      return c.html(
        messagePage(
          "Link not valid",
          "This reset link is invalid or has expired. Ask for a new one.",
          "error",
        ),
        400,
      );
    }
    return c.html(resetPasswordPage({ token }));
  });

  app.post("/reset-password", async (c) => {
    if (crossSitePost(services, c)) return c.text("Cross-site request refused", 403);
    const form = await formBody(c);
    const token = form.token ?? "";
    const response = await callAuth(services, c, "/reset-password", {
      body: { token, newPassword: form.password ?? "" },
    });
    const body = await readJson(response);
    if (response.ok) return c.redirect("/sign-in?reset=1", 303);
    if (response.status === 429) {
      return c.html(
        resetPasswordPage({ token, message: "Too many attempts. Try again later.", messageKind: "error" }),
        429,
      );
    }
    const code = errorCode(body);
    if (code === "INVALID_TOKEN") {
      return c.html(
        messagePage(
          "Link not valid",
          "This reset link is invalid or has expired. Ask for a new one.",
          "error",
        ),
        400,
      );
    }
    return c.html(
      resetPasswordPage({ token, errors: { password: errorMessage(body, "Choose a stronger password.") } }),
      400,
    );
  });

  app.get("/consent", async (c) => {
    const session = await currentSession(services, c);
    const oauthQuery = signedOAuthQuery(search(c));
    if (!oauthQuery)
      return c.html(
        messagePage("Nothing to approve", "This page needs an authorization request.", "error"),
        400,
      );
    if (!session) return c.redirect(`/sign-in?${oauthQuery}`, 303);
    // What the page names is read from the signed request, the one the provider will act on.
    const signed = new URLSearchParams(oauthQuery);
    const client = await clientIdentity(services.db, signed.get("client_id") ?? "");
    if (!client)
      return c.html(messagePage("Unknown application", "This application is not registered.", "error"), 400);
    const scopes = (signed.get("scope") ?? "").split(" ").filter(Boolean);
    return c.html(
      consentPage({
        clientName: client.name,
        verified: client.verified,
        redirectHost: redirectHost(signed.get("redirect_uri") ?? "") ?? "the application",
        scopes,
        userEmail: session.user.email,
        oauthQuery,
      }),
    );
  });

  app.post("/consent", async (c) => {
    if (crossSitePost(services, c)) return c.text("Cross-site request refused", 403);
    const form = await formBody(c);
    const oauthQuery = form.oauth_query ? signedOAuthQuery(form.oauth_query) : undefined;
    if (!oauthQuery)
      return c.html(messagePage("Nothing to approve", "The authorization request is missing.", "error"), 400);
    const response = await callAuth(services, c, "/oauth2/consent", {
      body: { accept: form.accept === "yes", oauth_query: oauthQuery },
    });
    const body = await readJson(response);
    forwardCookies(response, c);
    const target =
      redirectTarget(body) ?? (typeof body.redirect_uri === "string" ? body.redirect_uri : undefined);
    if (!response.ok || !target) {
      return c.html(
        messagePage("Could not continue", errorMessage(body, "The request expired. Start again."), "error"),
        400,
      );
    }
    return c.redirect(target, 303);
  });

  app.post("/sign-out", async (c) => {
    if (crossSitePost(services, c)) return c.text("Cross-site request refused", 403);
    const response = await callAuth(services, c, "/sign-out", { body: {} });
    forwardCookies(response, c);
    return c.redirect("/sign-in", 303);
  });
}
