import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A loopback proxy that adds an agent's `Authorization` header: the conformance suite speaks MCP
 * without credentials (it does not test server-side authorization; our own tests do), so it talks
 * to our real, authenticated server through this.
 */
export async function startAuthProxy(target: { port: number }, authorization: () => string) {
  // The Host header passes through unchanged, so the server's DNS-rebinding guard is what answers.
  const server: Server = createServer((incoming, outgoing) => {
    const headers = { ...incoming.headers, authorization: authorization() };
    const forward = request(
      { host: "127.0.0.1", port: target.port, path: incoming.url, method: incoming.method, headers },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    forward.on("error", () => outgoing.writeHead(502).end());
    incoming.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
