import { isReverseDomainPrivateUseRedirectUri } from "@better-auth/core/utils/redirect-uri";

/** The loopback hosts RFC 8252 §7.3 names (as URL.hostname spells them). */
const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

function parse(uri: unknown): URL | undefined {
  return typeof uri === "string" && URL.canParse(uri) ? new URL(uri) : undefined;
}

/** `http://localhost:<port>/…`, `http://127.0.0.1…`, `http://[::1]…`: a native app's loopback listener. */
export function isLoopbackRedirect(uri: URL): boolean {
  return uri.protocol === "http:" && LOOPBACK_HOSTS.has(uri.hostname);
}

/** `cursor://…`, `com.example.app:/…`: a scheme an app on the device claims (RFC 8252 §7.1). */
function isPrivateUseRedirect(uri: URL): boolean {
  return uri.protocol !== "http:" && uri.protocol !== "https:";
}

/**
 * What a dynamic registration without `application_type` is, decided the way RFC 8252 decides it:
 * by where its redirects go. The provider treats a missing `application_type` as "web" and then
 * refuses every loopback and private-use redirect URI, yet that is what real MCP clients register
 * (the SDK, the Inspector, Claude Code: `http://localhost:<port>/callback`; Cursor adds
 * `cursor://…`). A client that asks for such a redirect is a native app; as a web client it
 * would be refused anyway, so inferring "native" only turns those refusals into registrations
 * under the native rules (loopback http only on the three loopback hosts, https anywhere,
 * private-use schemes in reverse-domain form). A per-instance secret does not make it a web
 * client (RFC 8252 §8.4), so the authentication method does not matter here; it does at the
 * authorization endpoint (oauth/redirect-matching.ts: only public native clients may vary the port).
 *
 * Among a native registration's URIs, a private-use scheme the provider would refuse (not a
 * reverse-domain name, so any app may claim it: `cursor://anysphere…`) is left out when other URIs
 * remain, as RFC 7591 §2 lets a server replace requested metadata; the response lists what was
 * registered, and the client uses one of those (Cursor its loopback one). Returns the body to
 * register, or undefined to leave the request as it is.
 */
export function nativeRegistration(body: unknown): Record<string, unknown> | undefined {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return undefined;
  const metadata = body as Record<string, unknown>;
  if (!Array.isArray(metadata.redirect_uris)) return undefined;
  const uris = metadata.redirect_uris.map(parse);
  if (uris.some((uri) => uri === undefined)) return undefined;
  const parsed = uris as URL[];
  const declared = metadata.application_type;
  const native =
    declared === "native" ||
    (declared === undefined && parsed.some((uri) => isLoopbackRedirect(uri) || isPrivateUseRedirect(uri)));
  if (!native) return undefined;
  const registrable = (metadata.redirect_uris as string[]).filter((_, index) => {
    const uri = parsed[index] as URL;
    return !isPrivateUseRedirect(uri) || isReverseDomainPrivateUseRedirectUri(uri);
  });
  return {
    ...metadata,
    application_type: "native",
    redirect_uris: registrable.length > 0 ? registrable : metadata.redirect_uris,
  };
}
