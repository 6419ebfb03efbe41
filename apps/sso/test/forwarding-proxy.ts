import { createServer, request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { networkInterfaces } from "node:os";

/**
 * A reverse proxy as an ingress is one: it listens on every address, passes each request on to
 * `target` and appends the address it saw to whatever `X-Forwarded-For` the client wrote.
 */
export async function startForwardingProxy(
  target: string,
): Promise<{ port: number; close(): Promise<void> }> {
  const upstream = new URL(target);
  const server = createServer((incoming, outgoing) => {
    const seen = incoming.socket.remoteAddress ?? "unknown";
    const written = incoming.headers["x-forwarded-for"];
    const headers = {
      ...incoming.headers,
      host: upstream.host,
      "x-forwarded-for": written ? `${written}, ${seen}` : seen,
    };
    const forwarded = httpRequest(
      { host: upstream.hostname, port: upstream.port, path: incoming.url, method: incoming.method, headers },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    forwarded.on("error", () => outgoing.writeHead(502).end());
    incoming.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, "0.0.0.0", () => resolve()));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** An IPv4 address of this machine that is not loopback: a request to it arrives from "elsewhere". */
export function nonLoopbackAddress(): string {
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) {
      if (address.family === "IPv4" && !address.internal) return address.address;
    }
  }
  throw new Error("this machine has no non-loopback IPv4 address to make a request from");
}
