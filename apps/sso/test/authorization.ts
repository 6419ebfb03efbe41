import { createHash, randomBytes } from "node:crypto";
import { type Browser, hiddenInput } from "./helpers.ts";

/** A PKCE verifier and its S256 challenge, as every client makes them. */
export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

/**
 * A person's browser through an authorization request on the SSO's own pages: signs in when asked
 * (with `credentials`), approves the consent page when shown, and returns where the SSO finally sent
 * the browser off its own origin (the client's redirect URI, or wherever else it ended).
 */
export async function authorizeInBrowser(
  browser: Browser,
  ssoUrl: string,
  authorizeUrl: string | URL,
  credentials: { email: string; password: string },
): Promise<{ location: string; status: number; page: string }> {
  let { response, url } = await browser.follow(authorizeUrl, ssoUrl);
  for (let step = 0; step < 4; step++) {
    const here = new URL(url);
    if (here.origin !== new URL(ssoUrl).origin) return { location: url, status: response.status, page: "" };
    const page = await response.text();
    if (here.pathname === "/sign-in") {
      const signedIn = await browser.submit(`${ssoUrl}/sign-in`, {
        ...credentials,
        oauth_query: hiddenInput(page, "oauth_query") ?? "",
      });
      if (signedIn.status !== 303) return { location: here.toString(), status: signedIn.status, page };
      const next = new URL(signedIn.headers.get("location") ?? "/", ssoUrl);
      if (next.origin !== new URL(ssoUrl).origin) return { location: next.toString(), status: 303, page: "" };
      ({ response, url } = await browser.follow(next, ssoUrl));
      continue;
    }
    if (here.pathname === "/consent") {
      const accepted = await browser.submit(`${ssoUrl}/consent`, {
        accept: "yes",
        oauth_query: hiddenInput(page, "oauth_query") ?? "",
      });
      const target = new URL(accepted.headers.get("location") ?? "/", ssoUrl);
      if (target.origin !== new URL(ssoUrl).origin)
        return { location: target.toString(), status: 303, page: "" };
      ({ response, url } = await browser.follow(target, ssoUrl));
      continue;
    }
    return { location: url, status: response.status, page };
  }
  throw new Error(`the authorization did not finish: last at ${url}`);
}
