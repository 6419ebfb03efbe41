// The dashboard's security headers for every page: a strict CSP with a per-request nonce (Next.js puts it on its
// own scripts), no framing, no MIME sniffing, a tight referrer policy, and HSTS when served over https.

export interface SecurityOptions {
  nonce: string;
  /** `next dev` needs eval for its overlay; a production build never does. */
  development: boolean;
  /** PUBLIC_URL is https: browsers are told to keep to https (HSTS). */
  https: boolean;
  /** The SSO's origin: sign-out posts a form that ends at the SSO's end-session endpoint. */
  ssoOrigin: string;
}

export function contentSecurityPolicy({ nonce, development, ssoOrigin }: SecurityOptions): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ""}`,
    // Tailwind's output is one stylesheet; React sets a few style attributes, which nonces cannot cover.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    `form-action 'self' ${ssoOrigin}`,
    "frame-ancestors 'none'",
  ].join("; ");
}

export function securityHeaders(options: SecurityOptions): Record<string, string> {
  return {
    "Content-Security-Policy": contentSecurityPolicy(options),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    ...(options.https ? { "Strict-Transport-Security": "max-age=63072000; includeSubDomains" } : {}),
  };
}

/** A fresh nonce: 16 random bytes, base64. */
export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}
