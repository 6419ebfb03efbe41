/**
 * The Better Auth endpoints this SSO serves over HTTP, under /api/auth. Its plugins mount many
 * more (clients made by any signed-in person at /oauth2/create-client, client and consent
 * management, impersonation and user management under /admin, organization management, linked
 * accounts and their tokens): those answer 404. Our own pages reach what they need through
 * `auth.handler` in-process (routes/context.ts callAuth), not through this door, so closing an
 * endpoint here never breaks a page. test/served-endpoints.security.test.ts walks every endpoint
 * the plugins mount and holds each to this list.
 */
export const SERVED_AUTH_ENDPOINTS: readonly {
  methods: readonly string[];
  path: string;
  why: string;
  /**
   * Posted only by our own pages and by scripts: a browser's post from any other origin is refused
   * (isSameOriginOnlyEndpoint). Better Auth checks the Origin only when cookies come along, and a
   * request for a reset mail or a reset with its token carries none.
   */
  sameOrigin?: true;
}[] = [
  // OAuth 2.1 / OpenID Connect, for clients and resource servers.
  { methods: ["GET", "POST"], path: "/oauth2/authorize", why: "authorization endpoint" },
  { methods: ["POST"], path: "/oauth2/token", why: "token endpoint" },
  { methods: ["GET", "POST"], path: "/oauth2/userinfo", why: "userinfo" },
  { methods: ["POST"], path: "/oauth2/revoke", why: "revocation (RFC 7009)" },
  { methods: ["POST"], path: "/oauth2/introspect", why: "introspection (RFC 7662)" },
  { methods: ["GET", "POST"], path: "/oauth2/end-session", why: "RP-initiated logout" },
  {
    methods: ["POST"],
    path: "/oauth2/end-session/confirm",
    why: "the logout confirmation form",
    sameOrigin: true,
  },
  { methods: ["POST"], path: "/oauth2/register", why: "dynamic client registration (MCP clients)" },
  { methods: ["GET"], path: "/jwks", why: "signing keys" },
  { methods: ["POST"], path: "/device/code", why: "device authorization (RFC 8628)" },
  // Links in mails and returns from the upstream identity provider.
  { methods: ["GET"], path: "/verify-email", why: "confirmation links" },
  { methods: ["GET"], path: "/reset-password/:token", why: "reset links" },
  { methods: ["GET", "POST"], path: "/callback/:id", why: "upstream OIDC sign-in returns here" },
  // The account API behind our forms: the same rules apply (password policy, limits, origin checks).
  { methods: ["POST"], path: "/sign-in/email", why: "sign-in", sameOrigin: true },
  { methods: ["POST"], path: "/sign-in/username", why: "sign-in with a handle", sameOrigin: true },
  { methods: ["POST"], path: "/sign-up/email", why: "sign-up", sameOrigin: true },
  { methods: ["POST"], path: "/sign-out", why: "sign-out", sameOrigin: true },
  { methods: ["GET"], path: "/get-session", why: "the browser's own session" },
  { methods: ["POST"], path: "/change-password", why: "change of password", sameOrigin: true },
  { methods: ["POST"], path: "/request-password-reset", why: "reset mail", sameOrigin: true },
  { methods: ["POST"], path: "/reset-password", why: "reset", sameOrigin: true },
  { methods: ["POST"], path: "/send-verification-email", why: "a new confirmation link", sameOrigin: true },
];

function matches(pattern: string, path: string): boolean {
  const want = pattern.split("/");
  const got = path.split("/");
  return (
    want.length === got.length &&
    want.every((segment, index) =>
      segment.startsWith(":") ? (got[index] ?? "") !== "" : segment === got[index],
    )
  );
}

/**
 * Whether a request to `${AUTH_BASE_PATH}${path}` reaches Better Auth. OPTIONS (CORS preflight)
 * passes for served paths; the CORS middleware decides which of them answer cross-origin.
 */
export function isServedAuthEndpoint(method: string, path: string): boolean {
  const normalized = path.length > 1 ? path.replace(/\/+$/, "") : path;
  return SERVED_AUTH_ENDPOINTS.some(
    (endpoint) =>
      matches(endpoint.path, normalized) && (method === "OPTIONS" || endpoint.methods.includes(method)),
  );
}

/** Whether a POST to `${AUTH_BASE_PATH}${path}` must come from one of our origins when a browser sends it. */
export function isSameOriginOnlyEndpoint(path: string): boolean {
  const normalized = path.length > 1 ? path.replace(/\/+$/, "") : path;
  return SERVED_AUTH_ENDPOINTS.some((endpoint) => endpoint.sameOrigin && matches(endpoint.path, normalized));
}
