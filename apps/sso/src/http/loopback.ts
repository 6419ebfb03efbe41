import { isIP } from "node:net";

/** 127.0.0.0/8 and ::1, in any of the spellings a socket or a proxy may give (`::ffff:127.0.0.1`). */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const plain = address.replace(/^\[|\]$/g, "").toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(plain)?.[1] ?? plain;
  if (isIP(mapped) === 4) return mapped.startsWith("127.");
  if (isIP(mapped) === 6) return mapped === "::1" || mapped === "0:0:0:0:0:0:0:1";
  return false;
}

/**
 * A request comes from this machine when the socket's peer is loopback and, behind trusted proxies,
 * the address they report is loopback too. Both, because either alone can be the proxy's own
 * address: a proxy on this machine connects from loopback for every client, and what a client
 * writes into `X-Forwarded-For` never becomes the reported address (clientAddress counts from the
 * right).
 */
export function fromLoopback(request: { peerIp: string | undefined; clientIp: string }): boolean {
  return isLoopbackAddress(request.peerIp) && isLoopbackAddress(request.clientIp);
}
