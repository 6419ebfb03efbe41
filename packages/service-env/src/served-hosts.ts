/**
 * The DNS-rebinding guard every service applies before anything else: a request must name, in its
 * Host header, a host the service is meant to answer to.
 *
 * A page on `http://rebind.attacker.example:3001` whose name the attacker re-points at 127.0.0.1
 * (or at a pod's address) is same-origin with our service as far as the browser is concerned, so it
 * may read every answer; but its requests still say `Host: rebind.attacker.example:3001`, the name
 * the browser resolved. Refusing names we do not serve closes that door whatever the page does.
 *
 * Always served, without configuration:
 * - an IP address (`10.1.2.3:3001`, `[::1]:8000`): a browser sends one only for a page loaded from
 *   that very address, which no rebinding can produce, and it is what a kubelet's probes send
 *   (`Host: <pod IP>:<port>`);
 * - `localhost` and `*.localhost`: loopback by definition (RFC 6761), never handed to DNS by
 *   browsers, so no attacker can re-point them.
 * Every other name must be listed: a service lists its public URL's host, and the names the chart
 * gives its Service (`<name>`, `<name>.<namespace>`, `…svc`, `…svc.<clusterDomain>`) for callers
 * inside the cluster. An entry with a port (`mcp-server:8001`) serves that port only; without one,
 * any port (the name is what a rebinding attacker cannot choose, not the port).
 */
export interface ServedHosts {
  /** Names served on any port. */
  readonly names: ReadonlySet<string>;
  /** `name:port` pairs served on that port only. */
  readonly namesWithPort: ReadonlySet<string>;
}

/**
 * The hosts to serve, from entries that are host names (`api.example.com`), `name:port` pairs or
 * URLs (`https://sso.example.com/`, whose host without its port is taken). Blank entries are ignored.
 */
export function servedHosts(entries: Iterable<string | undefined>): ServedHosts {
  const names = new Set<string>();
  const namesWithPort = new Set<string>();
  for (const raw of entries) {
    const entry = raw?.trim();
    if (!entry) continue;
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(entry)) {
      if (URL.canParse(entry)) names.add(normalizeName(new URL(entry).hostname));
      continue;
    }
    const parsed = splitHost(entry);
    if (!parsed) continue;
    if (parsed.port === undefined) names.add(parsed.name);
    else namesWithPort.add(`${parsed.name}:${parsed.port}`);
  }
  return { names, namesWithPort };
}

/**
 * The host a request names: its Host header, or, for a request handed to the app in process (tests,
 * `app.fetch(new Request(url))`), which carries none, its URL's host. Over HTTP the server builds the
 * URL from the Host header, so both say the same.
 */
export function requestHost(request: Request): string {
  return request.headers.get("host") ?? new URL(request.url).host;
}

/** Whether a request whose Host header is `host` is one this service answers. */
export function isServedHost(host: string | undefined, served: ServedHosts): boolean {
  const parsed = host ? splitHost(host) : undefined;
  if (!parsed) return false;
  const { name, port } = parsed;
  if (isIpAddress(name) || name === "localhost" || name.endsWith(".localhost")) return true;
  if (served.names.has(name)) return true;
  return port !== undefined && served.namesWithPort.has(`${name}:${port}`);
}

/** `name`, `name:port`, `[v6]` or `[v6]:port`, lower case, without a trailing dot; undefined when malformed. */
function splitHost(value: string): { name: string; port: string | undefined } | undefined {
  const match = /^(\[[0-9a-f:.]+\]|[^:[\]\s/@]+)(?::(\d{1,5}))?$/i.exec(value.trim());
  if (!match?.[1]) return undefined;
  return { name: normalizeName(match[1]), port: match[2] };
}

function normalizeName(name: string): string {
  return name.toLowerCase().replace(/\.$/, "");
}

/**
 * A dotted-quad IPv4 address or a bracketed IPv6 one. Browsers write every numeric IPv4 form they
 * accept (`0x7f.1`, `2130706433`) as a dotted quad, and a name whose last label is a number is not
 * a DNS name to them, so nothing an attacker registers passes as one.
 */
function isIpAddress(name: string): boolean {
  if (name.startsWith("[")) return name.endsWith("]") && name.includes(":");
  const parts = name.split(".");
  return parts.length === 4 && parts.every((part) => /^\d{1,3}$/.test(part) && Number(part) <= 255);
}
