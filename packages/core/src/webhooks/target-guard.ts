import { lookup as dnsLookup } from "node:dns";
import { lookup } from "node:dns/promises";
import { BlockList, isIP, type LookupFunction } from "node:net";
import { invalidInput } from "../errors.ts";

/** Whether webhooks may target loopback and private networks (`WEBHOOK_ALLOW_PRIVATE_TARGETS`). */
export interface TargetPolicy {
  allowPrivateTargets: boolean;
}

interface Range {
  network: string;
  prefix: number;
  family: "ipv4" | "ipv6";
  what: string;
  /** Refused even when private targets are allowed: never a webhook receiver, always an SSRF target. */
  always?: boolean;
}

const ranges: Range[] = [
  { network: "0.0.0.0", prefix: 8, family: "ipv4", what: "an unspecified address (0.0.0.0/8)", always: true },
  { network: "127.0.0.0", prefix: 8, family: "ipv4", what: "loopback (127.0.0.0/8)" },
  { network: "10.0.0.0", prefix: 8, family: "ipv4", what: "a private network (10.0.0.0/8)" },
  { network: "172.16.0.0", prefix: 12, family: "ipv4", what: "a private network (172.16.0.0/12)" },
  { network: "192.168.0.0", prefix: 16, family: "ipv4", what: "a private network (192.168.0.0/16)" },
  { network: "100.64.0.0", prefix: 10, family: "ipv4", what: "carrier-grade NAT (100.64.0.0/10)" },
  { network: "192.0.0.0", prefix: 24, family: "ipv4", what: "IETF protocol assignments (192.0.0.0/24)" },
  { network: "198.18.0.0", prefix: 15, family: "ipv4", what: "a benchmarking network (198.18.0.0/15)" },
  {
    network: "169.254.0.0",
    prefix: 16,
    family: "ipv4",
    what: "link-local, where cloud metadata lives (169.254.0.0/16)",
    always: true,
  },
  { network: "224.0.0.0", prefix: 4, family: "ipv4", what: "multicast (224.0.0.0/4)", always: true },
  { network: "240.0.0.0", prefix: 4, family: "ipv4", what: "reserved (240.0.0.0/4)", always: true },
  { network: "::", prefix: 128, family: "ipv6", what: "the unspecified address (::)", always: true },
  { network: "::1", prefix: 128, family: "ipv6", what: "loopback (::1)" },
  { network: "fc00::", prefix: 7, family: "ipv6", what: "a unique local network (fc00::/7)" },
  { network: "fe80::", prefix: 10, family: "ipv6", what: "link-local (fe80::/10)", always: true },
  { network: "ff00::", prefix: 8, family: "ipv6", what: "multicast (ff00::/8)", always: true },
  // Deprecated site-local addresses (RFC 3879): still routed inside some networks, never a public host.
  { network: "fec0::", prefix: 10, family: "ipv6", what: "site-local (fec0::/10)" },
  // Local-use NAT64 (RFC 8215): the operator chooses where the IPv4 address sits, so the whole prefix is
  // refused as the private network it is (the well-known 64:ff9b::/96 is decoded: embeddedIpv4).
  { network: "64:ff9b:1::", prefix: 48, family: "ipv6", what: "local-use NAT64 (64:ff9b:1::/48)" },
  // Teredo tunnels an IPv4 host behind a NAT (its address obfuscated in the last 32 bits): never a webhook
  // receiver, and a way to any IPv4 address (RFC 4380).
  { network: "2001::", prefix: 32, family: "ipv6", what: "a Teredo tunnel (2001::/32)", always: true },
  // Documentation, benchmarking and discard ranges: no public host lives there, so where one answers it is
  // a local network's (this kind of machine has 192.0.2.0/24 on its own interface).
  { network: "192.0.2.0", prefix: 24, family: "ipv4", what: "a documentation network (192.0.2.0/24)" },
  { network: "198.51.100.0", prefix: 24, family: "ipv4", what: "a documentation network (198.51.100.0/24)" },
  { network: "203.0.113.0", prefix: 24, family: "ipv4", what: "a documentation network (203.0.113.0/24)" },
  {
    network: "192.88.99.0",
    prefix: 24,
    family: "ipv4",
    what: "the retired 6to4 relay anycast (192.88.99.0/24)",
  },
  { network: "2001:db8::", prefix: 32, family: "ipv6", what: "a documentation network (2001:db8::/32)" },
  { network: "3fff::", prefix: 20, family: "ipv6", what: "a documentation network (3fff::/20)" },
  { network: "2001:2::", prefix: 48, family: "ipv6", what: "a benchmarking network (2001:2::/48)" },
  { network: "100::", prefix: 64, family: "ipv6", what: "the discard prefix (100::/64)", always: true },
];

const lists = ranges.map((range) => {
  const list = new BlockList();
  list.addSubnet(range.network, range.prefix, range.family);
  return { range, list };
});

/** The eight 16-bit groups of an IPv6 address (with an optional dotted IPv4 tail). */
function ipv6Groups(address: string): number[] | null {
  let text = address.toLowerCase().split("%")[0] ?? "";
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted?.[1]) {
    const octets = dotted[1].split(".").map(Number);
    const [a = 0, b = 0, c = 0, d = 0] = octets;
    text = `${text.slice(0, -dotted[1].length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(":") : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(":") : [];
  const fill = halves.length === 2 ? 8 - head.length - tail.length : 0;
  const groups = [...head, ...Array<string>(Math.max(fill, 0)).fill("0"), ...tail].map((g) =>
    Number.parseInt(g, 16),
  );
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff)
    ? groups
    : null;
}

/**
 * The IPv4 address carried inside an IPv6 one, if any: IPv4-mapped `::ffff:a.b.c.d`, IPv4-translated
 * `::ffff:0:a.b.c.d` (SIIT), IPv4-compatible `::a.b.c.d` (deprecated, but still connects here), the
 * well-known NAT64 prefix `64:ff9b::/96`, and 6to4 `2002:AABB:CCDD::/48`. The unspecified `::` and
 * loopback `::1` are IPv6's own (not 0.0.0.0 and 0.0.0.1).
 */
export function embeddedIpv4(address: string): string | null {
  const g = ipv6Groups(address);
  if (!g) return null;
  const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = g;
  const zeroHead = g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0;
  if (zeroHead && g4 === 0 && g5 === 0xffff) return v4(g6, g7); // ::ffff:a.b.c.d
  if (zeroHead && g4 === 0xffff && g5 === 0) return v4(g6, g7); // ::ffff:0:a.b.c.d
  if (zeroHead && g4 === 0 && g5 === 0 && !(g6 === 0 && g7 <= 1)) return v4(g6, g7); // ::a.b.c.d
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) return v4(g6, g7);
  if (g0 === 0x2002) return v4(g1, g2);
  return null;
}

/**
 * Why an address may not receive webhooks under the policy, or null when it may. Loopback,
 * private, CGNAT, unique-local, site-local, local-use NAT64 and documentation networks are refused
 * unless private targets are allowed; unspecified, link-local (cloud metadata), multicast, reserved,
 * Teredo and discard addresses always are. An IPv6 address carrying an IPv4 one (embeddedIpv4) is
 * judged by the IPv4 address it reaches.
 */
export function blockedAddressReason(address: string, policy: TargetPolicy): string | null {
  const family = isIP(address);
  if (family === 0) return "not an IP address";
  if (family === 6) {
    const inner = embeddedIpv4(address);
    if (inner) return blockedAddressReason(inner, policy);
  }
  const type = family === 4 ? "ipv4" : "ipv6";
  for (const { range, list } of lists) {
    if (range.family !== type || !list.check(address, type)) continue;
    if (range.always || !policy.allowPrivateTargets) return range.what;
  }
  return null;
}

export class BlockedTargetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BlockedTargetError";
  }
}

/** What is wrong with a URL's shape (scheme, credentials), before any address is looked at. */
export function urlShapeProblem(url: URL): string | null {
  if (url.protocol !== "http:" && url.protocol !== "https:")
    return "only http:// and https:// URLs can receive webhooks";
  if (url.username || url.password)
    return "credentials in the URL are not allowed; verify the signature instead";
  if (!url.hostname) return "the URL has no host";
  return null;
}

/** The host of a URL as an address or a name (IPv6 literals lose their brackets). */
export function urlHost(url: URL): string {
  return url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
}

/**
 * Refuses a webhook URL whose host is, or resolves to, an address the policy forbids (checked when
 * a webhook is created or changed; the dispatcher checks again on every delivery, as DNS changes).
 */
export async function assertWebhookTarget(
  raw: string,
  policy: TargetPolicy,
  field = "body.url",
): Promise<void> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalidInput(field, "not a URL");
  }
  const shape = urlShapeProblem(url);
  if (shape) throw invalidInput(field, shape);
  const host = urlHost(url);
  let addresses: string[];
  if (isIP(host)) addresses = [host];
  else {
    try {
      addresses = (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
    } catch {
      throw invalidInput(field, `the host ${host} does not resolve`);
    }
  }
  for (const address of addresses) {
    const reason = blockedAddressReason(address, policy);
    if (reason) {
      const via = address === host ? "" : ` resolves to ${address}, which is`;
      throw invalidInput(
        field,
        `refused: ${host}${via || " is"} ${reason}; webhooks may only target public addresses`,
      );
    }
  }
}

/**
 * A `lookup` for node:http that resolves like the system does but fails the connection when any
 * address found is forbidden: the check applies to the very address connected to (no DNS
 * rebinding window between a check and the request).
 */
export function guardedLookup(policy: TargetPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true, verbatim: true }, (error, found) => {
      if (error) return callback(error, "", 4);
      const addresses = found as unknown as { address: string; family: number }[];
      for (const { address } of addresses) {
        const reason = blockedAddressReason(address, policy);
        if (reason) {
          return callback(
            new BlockedTargetError(`refused: ${hostname} resolves to ${address}, ${reason}`),
            "",
            4,
          );
        }
      }
      if ((options as { all?: boolean }).all) {
        return (callback as unknown as (e: null, a: typeof addresses) => void)(null, addresses);
      }
      const first = addresses[0];
      if (!first) return callback(new Error(`${hostname} has no address`), "", 4);
      callback(null, first.address, first.family);
    });
  };
}
