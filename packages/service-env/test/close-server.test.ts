import { createServer, type Server } from "node:http";
import { type AddressInfo, connect, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { closeServer, stopKeepingAlive } from "../src/close-server.ts";

const servers: Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.closeAllConnections();
});

async function listen(
  handler: Parameters<typeof createServer>[1],
): Promise<{ server: Server; port: number }> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

async function connected(port: number): Promise<Socket> {
  const socket = connect(port, "127.0.0.1");
  await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject));
  return socket;
}

/** Everything the server sends until it closes the connection, or the error that ended it. */
function received(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    let text = "";
    socket.on("data", (chunk: Buffer) => {
      text += chunk.toString();
    });
    socket.once("error", (error: NodeJS.ErrnoException) => resolve(`error ${error.code}`));
    socket.once("end", () => resolve(text));
  });
}

const request = "GET /work HTTP/1.1\r\nHost: drain.test\r\nConnection: close\r\n\r\n";

describe("closeServer", () => {
  it("answers a request whose connection was accepted before the listener closed and whose bytes come after", async () => {
    const { server, port } = await listen((_req, res) => res.end("answered"));
    // Accepted by the kernel and by Node, but no request read yet: http.Server.close() would destroy
    // it as idle and the client would see a reset for a request it sent in time.
    const socket = await connected(port);
    const response = received(socket);
    const closing = closeServer(server);
    socket.write(request);
    expect(await response).toMatch(/^HTTP\/1\.1 200 [\s\S]*answered$/);
    await closing;
    expect(server.listening).toBe(false);
  });

  it("refuses new connections at once", async () => {
    const { server, port } = await listen((_req, res) => res.end("answered"));
    const holder = await connected(port); // keeps the close pending through the grace period
    const closing = closeServer(server);
    const refused = connect(port, "127.0.0.1");
    const code = await new Promise((resolve) =>
      refused.once("error", (e: NodeJS.ErrnoException) => resolve(e.code)),
    );
    expect(code).toBe("ECONNREFUSED");
    holder.destroy();
    await closing;
  });

  it("lets a request in progress finish, then closes its kept-alive connection instead of waiting out its keep-alive", async () => {
    const { server, port } = await listen((_req, res) => {
      setTimeout(() => res.end("slow answer"), 800);
    });
    // Far beyond the test's timeout: with http.Server.close() alone, the close would wait for it.
    server.keepAliveTimeout = 10 * 60_000;
    const socket = await connected(port);
    const response = received(socket);
    socket.write("GET /slow HTTP/1.1\r\nHost: drain.test\r\n\r\n"); // keep-alive
    await new Promise((resolve) => setTimeout(resolve, 100));
    await closeServer(server, { pollMs: 50 });
    expect(await response).toMatch(/^HTTP\/1\.1 200 [\s\S]*slow answer$/);
  });
});

describe("stopKeepingAlive", () => {
  it("asks the client of a kept-alive connection to close it with its next answer, and closes it", async () => {
    const { server, port } = await listen((_req, res) => res.end("answered"));
    const socket = await connected(port);
    const texts: string[] = [];
    socket.on("data", (chunk: Buffer) => texts.push(chunk.toString()));
    const ended = new Promise((resolve) => socket.once("end", resolve));
    const keepAliveRequest = "GET /work HTTP/1.1\r\nHost: drain.test\r\n\r\n";

    socket.write(keepAliveRequest);
    await expect.poll(() => texts.join("")).toMatch(/answered$/);
    expect(texts.join("")).toMatch(/\r\nConnection: keep-alive\r\n/i);

    stopKeepingAlive(server);
    texts.length = 0;
    socket.write(keepAliveRequest);
    await ended;
    expect(texts.join("")).toMatch(/^HTTP\/1\.1 200 [\s\S]*\r\nConnection: close\r\n[\s\S]*answered$/i);
  });
});
