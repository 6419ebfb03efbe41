import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, newNonce, securityHeaders } from "../src/lib/security-headers.ts";

const base = { nonce: "bm9uY2U=", development: false, https: false, ssoOrigin: "https://sso.example.com" };

describe("security headers", () => {
  it("a strict CSP: scripts only with the request's nonce, no framing, no plugins, forms to us and the SSO", () => {
    const csp = contentSecurityPolicy(base);
    expect(csp).toContain("script-src 'self' 'nonce-bm9uY2U=' 'strict-dynamic'");
    expect(csp).not.toContain("unsafe-eval");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("form-action 'self' https://sso.example.com");
    expect(contentSecurityPolicy({ ...base, development: true })).toContain("'unsafe-eval'");
  });

  it("nosniff, referrer policy, no framing; HSTS only over https", () => {
    const plain = securityHeaders(base);
    expect(plain["X-Content-Type-Options"]).toBe("nosniff");
    expect(plain["Referrer-Policy"]).toBe("strict-origin-when-cross-origin");
    expect(plain["X-Frame-Options"]).toBe("DENY");
    expect(plain["Strict-Transport-Security"]).toBeUndefined();
    expect(securityHeaders({ ...base, https: true })["Strict-Transport-Security"]).toMatch(/^max-age=\d{8,}/);
  });

  it("a fresh, unguessable nonce each time", () => {
    const nonces = new Set(Array.from({ length: 100 }, newNonce));
    expect(nonces.size).toBe(100);
    for (const nonce of nonces) expect(Buffer.from(nonce, "base64")).toHaveLength(16);
  });
});
