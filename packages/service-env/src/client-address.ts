/**
 * The address a request came from, for per-address limits. Without trusted proxies it is the
 * socket's peer: `X-Forwarded-For` is anyone's to write. Behind `trustedProxies` proxies (an ingress:
 * 1) each appends the address it saw, so the client is the entry that many places from the right;
 * what a client wrote further left is ignored.
 */
export function clientAddress(
  socketAddress: string | undefined,
  forwardedFor: string | undefined,
  trustedProxies: number,
): string {
  if (trustedProxies > 0 && forwardedFor) {
    const hops = forwardedFor
      .split(",")
      .map((h) => h.trim())
      .filter(Boolean);
    const client = hops[Math.max(0, hops.length - trustedProxies)];
    if (client) return normalize(client);
  }
  return normalize(socketAddress ?? "unknown");
}

/** `::ffff:203.0.113.7` is `203.0.113.7`: one client, one bucket, whichever way it connected. */
function normalize(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return (mapped?.[1] ?? address).toLowerCase();
}
