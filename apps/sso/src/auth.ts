import { createHash, randomUUID } from "node:crypto";
import { DEVICE_CODE_GRANT_TYPE, oauthDeviceAuthorization, oauthProvider } from "@better-auth/oauth-provider";
import type { Database } from "@taskflow/db";
import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { APIError, createAuthMiddleware, getSessionFromCtx, isAPIError } from "better-auth/api";
import { admin } from "better-auth/plugins/admin";
import { genericOAuth } from "better-auth/plugins/generic-oauth";
import { jwt } from "better-auth/plugins/jwt";
import { organization } from "better-auth/plugins/organization";
import { username } from "better-auth/plugins/username";
import { eq } from "drizzle-orm";
import { DEFAULT_ROLE, uniformSignUpAnswer } from "./accounts/sign-up-answer.ts";
import * as schema from "./db/schema.ts";
import { membershipIn, oldestMembership } from "./domain/memberships.ts";
import type { SsoConfig } from "./env.ts";
import { checkRedirectParameters } from "./http/redirect-target.ts";
import { type Logger, safeForLog } from "./logger.ts";
import type { Mailer } from "./mail/mailer.ts";
import {
  changeEmailMail,
  existingAccountMail,
  invitationMail,
  resetPasswordMail,
  verificationMail,
} from "./mail/templates.ts";
import { answerForUnverifiedToken, isLoggedUnverifiedToken } from "./oauth/invalid-token.ts";
import { nativeRegistration } from "./oauth/native-registration.ts";
import { organizationForAuthorization } from "./oauth/organization-parameter.ts";
import { ORGANIZATIONS_CLAIM, ORGANIZATIONS_SCOPE, organizationsClaim } from "./oauth/organizations-claim.ts";
import { redirectUriAllowed } from "./oauth/redirect-matching.ts";
import { settleRegistration } from "./oauth/registration-scopes.ts";
import { unverifiedClientErrors } from "./oauth/unverified-client-errors.ts";
import {
  afterPasswordChange,
  afterUserDeleted,
  afterUserUpdated,
  beforePasswordChange,
  refuseBannedPerson,
} from "./revocation/account-changes.ts";

export type SsoDatabase = Database<typeof schema>;

/**
 * Scopes clients may ask for; the TaskFlow ones gate the API and the MCP server, `organizations` adds the
 * person's organizations to userinfo (configured clients only: self-registered ones cannot ask for it).
 */
export const SCOPES = [
  "openid",
  "profile",
  "email",
  "offline_access",
  "taskflow:read",
  "taskflow:write",
  // Administering (project settings, members, webhooks, deletion, agents): configured clients only.
  "taskflow:manage",
  ORGANIZATIONS_SCOPE,
];

/** What a self-registered client may ask for by default, and what it may have on request. */
const REGISTRATION_DEFAULT_SCOPES = ["openid", "profile", "email", "offline_access", "taskflow:read"];
const REGISTRATION_ALLOWED_SCOPES = ["taskflow:write"];

export const CLIENT_IP_HEADER = "x-taskflow-client-ip";

export interface RateLimitRule {
  window: number;
  max: number;
}

/** Per-path limits (seconds, requests) counted in the database, so they hold across replicas. */
export interface RateLimitSettings {
  enabled: boolean;
  /** Default for every other auth path. */
  global: RateLimitRule;
  signIn: RateLimitRule;
  signUp: RateLimitRule;
  passwordReset: RateLimitRule;
  token: RateLimitRule;
  register: RateLimitRule;
}

export const DEFAULT_RATE_LIMITS: RateLimitSettings = {
  enabled: true,
  global: { window: 60, max: 200 },
  signIn: { window: 60, max: 5 },
  signUp: { window: 60, max: 5 },
  passwordReset: { window: 300, max: 5 },
  token: { window: 60, max: 30 },
  register: { window: 60, max: 5 },
};

export const PASSWORD_MIN_LENGTH = 10;

/**
 * Lifetime of an access token: the longest a token of a banned or deleted person could live on at a
 * resource server that never heard of it (those that poll the revocation feed learn in seconds).
 */
export const ACCESS_TOKEN_LIFETIME_SECONDS = 15 * 60;

/** Hash used for stored OAuth client secrets (ours, so seeded secrets can be written directly). */
export function hashClientSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("base64url");
}

export interface AuthDeps {
  config: SsoConfig;
  secret: string;
  db: SsoDatabase;
  mailer: Mailer;
  rateLimit: RateLimitSettings;
  logger: Logger;
}

/** The path every Better Auth endpoint lives under. */
export const AUTH_BASE_PATH = "/api/auth";

/** Usernames are optional: 3–30 letters, digits, `_` and `.`, stored in lower case, unique. */
export const USERNAME_MIN_LENGTH = 3;
export const USERNAME_MAX_LENGTH = 30;

/**
 * Rejects passwords that are too short, or contain the account's email address, its local part or
 * the username (when those are at least 3 characters).
 */
export function passwordProblem(
  password: string,
  email: string | undefined,
  username?: string | null,
): string | undefined {
  if (password.length < PASSWORD_MIN_LENGTH) return `Use at least ${PASSWORD_MIN_LENGTH} characters.`;
  const lower = password.toLowerCase();
  if (email) {
    const address = email.toLowerCase();
    const local = address.split("@")[0] ?? "";
    if (lower.includes(address) || (local.length >= 3 && lower.includes(local))) {
      return "The password must not contain your email address.";
    }
  }
  if (username && username.length >= 3 && lower.includes(username.toLowerCase())) {
    return "The password must not contain your handle.";
  }
  return undefined;
}

/** The code our pages look for to put a policy refusal on the password field. */
export const PASSWORD_POLICY_CODE = "PASSWORD_POLICY";

/** Deletes the organizations whose only member is this user. */
export async function deleteSoleOrganizations(db: SsoDatabase, userId: string): Promise<void> {
  const memberships = await db
    .select({ organizationId: schema.member.organizationId })
    .from(schema.member)
    .where(eq(schema.member.userId, userId));
  for (const { organizationId } of memberships) {
    const members = await db
      .select({ userId: schema.member.userId })
      .from(schema.member)
      .where(eq(schema.member.organizationId, organizationId));
    if (members.every((member) => member.userId === userId)) {
      await db.delete(schema.organization).where(eq(schema.organization.id, organizationId));
    }
  }
}

/** Creates the personal organization of a new user, owned by them. Idempotent. */
export async function ensurePersonalOrganization(
  db: SsoDatabase,
  user: { id: string; name: string; email: string },
): Promise<string> {
  const existing = await oldestMembership(db, user.id);
  if (existing) return existing.organizationId;
  const organizationId = randomUUID();
  const now = new Date();
  const label = user.name.trim() || user.email.split("@")[0] || "Personal";
  await db.insert(schema.organization).values({
    id: organizationId,
    name: `${label}'s workspace`,
    slug: `personal-${user.id
      .toLowerCase()
      .replace(/[^a-z0-9]/g, "")
      .slice(0, 24)}-${organizationId.slice(0, 8)}`,
    createdAt: now,
    metadata: JSON.stringify({ personal: true }),
  });
  await db.insert(schema.member).values({
    id: randomUUID(),
    organizationId,
    userId: user.id,
    role: "owner",
    createdAt: now,
  });
  return organizationId;
}

export function createAuth(deps: AuthDeps) {
  const { config, db, mailer, logger } = deps;
  const limits = deps.rateLimit;
  const page = (path: string) => `${config.baseUrl}${path}`;
  const trustedOrigins = [...new Set([config.baseUrl, ...config.allowedOrigins])];
  const redirectOrigins = new Set(trustedOrigins.map((origin) => new URL(origin).origin));

  return betterAuth({
    appName: "TaskFlow",
    baseURL: config.baseUrl,
    basePath: AUTH_BASE_PATH,
    secret: deps.secret,
    trustedOrigins,
    database: drizzleAdapter(db, { provider: "pg", schema }),
    telemetry: { enabled: false },
    logger: {
      level: config.logLevel,
      // One JSON object per line, like the rest of the service's logs, through the same redaction.
      log: (level, message, ...args) => {
        const detail = args.length > 0 ? { detail: args.map((arg) => safeForLog(arg)) } : undefined;
        // The provider logs a forged token at introspect or revoke as its own failure; it is a refusal.
        logger[isLoggedUnverifiedToken(message) ? "debug" : level](message, detail);
      },
    },
    // Refusals (4xx) are answers, not faults: debug. Without this, Better Auth prints every refusal's
    // message through its own console logger, past ours (and past a test's log destination).
    onAPIError: {
      // Errors a browser is sent to (an authorization request we cannot honour, a failed upstream
      // sign-in) land on our own page (routes/error-page.ts), not on Better Auth's.
      errorURL: page("/error"),
      onError: (error) => {
        // Userinfo with a JWT that does not verify: 401 invalid_token, not the router's 500
        // (oauth/invalid-token.ts; introspect and revoke are mended in app.ts).
        const answer = answerForUnverifiedToken(error);
        if (answer) {
          logger.debug("refused", {
            status: answer.statusCode,
            ...(answer.statusCode === 401 ? { errorCode: "invalid_token" } : {}),
            reason: "access token did not verify",
          });
          throw answer;
        }
        if (isAPIError(error) && error.statusCode < 500) {
          logger.debug("refused", {
            status: error.statusCode,
            ...(typeof error.body?.code === "string" ? { errorCode: error.body.code } : {}),
            reason: error.message,
          });
        } else {
          logger.error("request failed", { err: safeForLog(error) });
        }
      },
    },
    disabledPaths: ["/token"],
    advanced: {
      useSecureCookies: config.production || config.baseUrl.startsWith("https://"),
      ipAddress: { ipAddressHeaders: [CLIENT_IP_HEADER] },
      database: { generateId: () => randomUUID() },
    },
    rateLimit: {
      enabled: limits.enabled,
      storage: "database",
      window: limits.global.window,
      max: limits.global.max,
      customRules: {
        "/sign-in/email": limits.signIn,
        "/sign-in/username": limits.signIn,
        "/is-username-available": limits.signUp,
        "/sign-in/social": limits.signIn,
        "/sign-up/email": limits.signUp,
        "/request-password-reset": limits.passwordReset,
        "/reset-password": limits.passwordReset,
        "/send-verification-email": limits.passwordReset,
        "/change-password": limits.signIn,
        "/oauth2/token": limits.token,
        "/oauth2/register": limits.register,
      },
    },
    user: {
      changeEmail: {
        enabled: true,
        // The current address approves the change; the new one then gets a verification link.
        sendChangeEmailConfirmation: async ({ user, newEmail, url }) => {
          await mailer.send(changeEmailMail(user.email, newEmail, url));
        },
      },
      deleteUser: {
        enabled: true,
        // Organizations the person was alone in go with them.
        beforeDelete: async (user) => {
          await deleteSoleOrganizations(db, user.id);
        },
      },
    },
    emailAndPassword: {
      enabled: true,
      requireEmailVerification: config.requireEmailVerification,
      minPasswordLength: PASSWORD_MIN_LENGTH,
      maxPasswordLength: 128,
      revokeSessionsOnPasswordReset: true,
      resetPasswordTokenExpiresIn: 60 * 60,
      sendResetPassword: async ({ user, url }) => {
        await mailer.send(resetPasswordMail(user.email, url));
      },
      onExistingUserSignUp: async ({ user }) => {
        await mailer.send(existingAccountMail(user.email, page("/forgot-password")));
      },
    },
    emailVerification: {
      sendOnSignUp: true,
      sendOnSignIn: true,
      autoSignInAfterVerification: true,
      expiresIn: 60 * 60 * 24,
      sendVerificationEmail: async ({ user, url }) => {
        await mailer.send(verificationMail(user.email, url));
      },
    },
    session: {
      expiresIn: 60 * 60 * 24 * 7,
      updateAge: 60 * 60 * 24,
    },
    hooks: {
      before: createAuthMiddleware(async (ctx) => {
        // Every place an endpoint would send the browser afterwards is one of ours (http/redirect-target.ts).
        const redirects = checkRedirectParameters(ctx, config.baseUrl, redirectOrigins);
        if (redirects.refused) {
          if (ctx.request?.method === "GET") {
            const refused = new URL(page("/error"));
            refused.searchParams.set("error", "invalid_redirect");
            throw ctx.redirect(refused.toString());
          }
          throw new APIError("FORBIDDEN", {
            message: `Invalid ${redirects.refused}`,
            code: "INVALID_REDIRECT_TARGET",
          });
        }
        const canonicalRedirects =
          Object.keys(redirects.replaced).length > 0 ? { context: redirects.replaced } : undefined;
        // Real MCP clients register loopback redirects without application_type (oauth/native-registration.ts).
        if (ctx.path === "/oauth2/register") {
          const body = nativeRegistration(ctx.body);
          return body ? { context: { body } } : undefined;
        }
        // Only public native clients may vary a loopback redirect's port (oauth/redirect-matching.ts).
        if (ctx.path === "/oauth2/authorize") {
          const parameters = ((ctx.request?.method === "POST" ? ctx.body : ctx.query) ?? {}) as Record<
            string,
            unknown
          >;
          if (!(await redirectUriAllowed(db, parameters.client_id, parameters.redirect_uri))) {
            const refused = new URL(page("/error"));
            refused.searchParams.set("error", "invalid_redirect");
            throw ctx.redirect(refused.toString());
          }
          return undefined;
        }
        // Whose password is about to change, and the session changing it (revocation/account-changes.ts).
        await beforePasswordChange(ctx, db);
        // Password policy: length is Better Auth's; "not your email (or username)" is ours, on every
        // path that sets a password. Before-hooks run ahead of the endpoint's own session middleware
        // (ctx.context.session is still null), so the account is looked up here.
        const body = (ctx.body ?? {}) as Record<string, unknown>;
        const refuse = (problem: string | undefined) => {
          if (problem) throw new APIError("BAD_REQUEST", { message: problem, code: PASSWORD_POLICY_CODE });
        };
        if (ctx.path === "/sign-up/email" && typeof body.password === "string") {
          refuse(
            passwordProblem(
              body.password,
              typeof body.email === "string" ? body.email : undefined,
              typeof body.username === "string" ? body.username : undefined,
            ),
          );
        }
        if (ctx.path === "/change-password" && typeof body.newPassword === "string") {
          const session = await getSessionFromCtx<{ username?: string | null }>(ctx);
          // Without a session the endpoint answers 401 itself.
          if (session) refuse(passwordProblem(body.newPassword, session.user.email, session.user.username));
        }
        if (ctx.path === "/reset-password" && typeof body.newPassword === "string") {
          const query = (ctx.query ?? {}) as Record<string, unknown>;
          const token =
            typeof body.token === "string" ? body.token : typeof query.token === "string" ? query.token : "";
          // Read, not consumed: a refused password leaves the link usable for a better one. An unknown
          // or expired token is the endpoint's to refuse (INVALID_TOKEN).
          const verification = token
            ? await ctx.context.internalAdapter.findVerificationValue(`reset-password:${token}`)
            : null;
          if (verification && verification.expiresAt > new Date()) {
            const [account] = await db
              .select({ email: schema.user.email, username: schema.user.username })
              .from(schema.user)
              .where(eq(schema.user.id, verification.value))
              .limit(1);
            if (account) refuse(passwordProblem(body.newPassword, account.email, account.username));
          }
        }
        return canonicalRedirects;
      }),
      // A password set: the refresh tokens of every other session end (revocation/account-changes.ts).
      after: createAuthMiddleware(async (ctx) => {
        await afterPasswordChange(ctx, db);
        // A self-registered client gets the scopes it asked for, and is marked unverified (oauth/registration-scopes.ts).
        if (ctx.path === "/oauth2/register") {
          const answer = await settleRegistration(db, ctx.context.returned, ctx.body?.scope, [
            ...REGISTRATION_DEFAULT_SCOPES,
            ...REGISTRATION_ALLOWED_SCOPES,
          ]);
          if (answer) return ctx.json(answer);
        }
        // A sign-up answers the same for a new address and a known one (accounts/sign-up-answer.ts).
        if (ctx.path === "/sign-up/email") {
          const answer = uniformSignUpAnswer(ctx.context.returned);
          if (answer) return ctx.json(answer);
        }
        return undefined;
      }),
    },
    databaseHooks: {
      user: {
        create: {
          after: async (user) => {
            await ensurePersonalOrganization(db, user);
          },
        },
        // Banned, or deleted: their grants end, and the resource servers hear of it (revocation/).
        update: {
          after: async (user) => {
            await afterUserUpdated(
              user as { id: string; banned?: boolean | null; banExpires?: Date | null },
              db,
            );
          },
        },
        delete: {
          after: async (user) => {
            await afterUserDeleted(user, db);
          },
        },
      },
      session: {
        create: {
          before: async (session) => {
            const current = (session as { activeOrganizationId?: string | null }).activeOrganizationId;
            if (current) return;
            const membership = await oldestMembership(db, session.userId);
            if (!membership) return;
            return { data: { ...session, activeOrganizationId: membership.organizationId } };
          },
        },
      },
    },
    plugins: [
      admin({ defaultRole: DEFAULT_ROLE, adminRoles: ["admin"] }),
      username({
        minUsernameLength: USERNAME_MIN_LENGTH,
        maxUsernameLength: USERNAME_MAX_LENGTH,
        displayUsername: false,
      }),
      organization({
        allowUserToCreateOrganization: true,
        creatorRole: "owner",
        invitationExpiresIn: 60 * 60 * 48,
        cancelPendingInvitationsOnReInvite: true,
        requireEmailVerificationOnInvitation: true,
        sendInvitationEmail: async (data) => {
          await mailer.send(
            invitationMail(
              data.email,
              page(`/accept-invitation?id=${encodeURIComponent(data.id)}`),
              data.organization.name,
              data.inviter.user.name || data.inviter.user.email,
              data.role,
            ),
          );
        },
      }),
      jwt({
        jwks: { keyPairConfig: { alg: "RS256", modulusLength: 2048 } },
        jwt: { issuer: config.baseUrl },
      }),
      oauthProvider({
        loginPage: page("/sign-in"),
        consentPage: page("/consent"),
        signup: { page: page("/sign-up") },
        scopes: SCOPES,
        resources: [
          { identifier: config.apiAudience, name: "TaskFlow API" },
          { identifier: config.mcpResourceUrl, name: "TaskFlow MCP server" },
        ],
        resourceSeedMode: "merge",
        enforcePerClientResources: true,
        clientRegistrationDefaultResources: [config.mcpResourceUrl],
        allowDynamicClientRegistration: true,
        allowUnauthenticatedClientRegistration: true,
        clientRegistrationDefaultScopes: REGISTRATION_DEFAULT_SCOPES,
        clientRegistrationAllowedScopes: REGISTRATION_ALLOWED_SCOPES,
        storeClientSecret: { hash: async (secret: string) => hashClientSecret(secret) },
        accessTokenExpiresIn: ACCESS_TOKEN_LIFETIME_SECONDS,
        refreshTokenExpiresIn: 60 * 60 * 24 * 30,
        codeExpiresIn: 60 * 5,
        grantTypes: ["authorization_code", "refresh_token", "client_credentials", DEVICE_CODE_GRANT_TYPE],
        rateLimit: {
          token: limits.enabled ? limits.token : false,
          register: limits.enabled ? limits.register : false,
        },
        postLogin: {
          page: page("/account"),
          shouldRedirect: async () => false,
          // The organization the code and its tokens are for: the session's active one, or the one the request
          // names with organization_id when the person belongs to it (oauth/organization-parameter.ts).
          consentReferenceId: async ({ user, session }) =>
            organizationForAuthorization(
              db,
              logger,
              user,
              session as { id: string; activeOrganizationId?: string | null } | undefined,
            ),
        },
        customAccessTokenClaims: async ({ user, referenceId }) => {
          if (!user) return {};
          const membership =
            (referenceId ? await membershipIn(db, user.id, referenceId) : undefined) ??
            (await oldestMembership(db, user.id));
          return {
            email: user.email,
            name: user.name,
            ...(membership ? { org_id: membership.organizationId, org_role: membership.role } : {}),
          };
        },
        customIdTokenClaims: async () => ({}),
        // Called for every issuance to a person, before anything is written: nothing for a banned one.
        customTokenResponseFields: async ({ user }) => {
          refuseBannedPerson(user as { banned?: boolean | null; banExpires?: Date | null } | undefined);
          return {};
        },
        customUserInfoClaims: async ({ user, scopes }) => organizationsClaim(db, user.id, scopes),
        advertisedMetadata: {
          claims_supported: [
            "sub",
            "iss",
            "aud",
            "exp",
            "iat",
            "sid",
            "scope",
            "azp",
            "client_id",
            "email",
            "email_verified",
            "name",
            "org_id",
            "org_role",
            ORGANIZATIONS_CLAIM,
          ],
        },
      }),
      // After the provider: its after-hook resumes an authorization once a person signs in, and an error
      // it would send to a self-registered client's redirect goes to our page instead.
      unverifiedClientErrors({ db, baseUrl: config.baseUrl, errorPage: page("/error") }),
      oauthDeviceAuthorization({
        verificationUri: page("/device"),
        expiresIn: "10m",
        interval: "5s",
        userCodeLength: 8,
      }),
      ...(config.upstreamOidc
        ? [
            genericOAuth({
              config: [
                {
                  providerId: "upstream",
                  discoveryUrl: `${config.upstreamOidc.issuer}/.well-known/openid-configuration`,
                  clientId: config.upstreamOidc.clientId,
                  clientSecret: config.upstreamOidc.clientSecret,
                  tokenEndpointAuth: { method: "client_secret_basic" },
                  scopes: ["openid", "profile", "email"],
                  pkce: true,
                },
              ],
            }),
          ]
        : []),
    ],
  });
}

export type SsoAuth = ReturnType<typeof createAuth>;
