/** An HTTP/1 server (what `@hono/node-server` serves by default), or an HTTP/2 one without idle sweeps. */
export interface ClosableServer {
  close(callback: (error?: Error) => void): unknown;
  closeIdleConnections?(): void;
}

/**
 * Stops an HTTP server once the requests it is answering are answered.
 *
 * `http.Server.close()` stops listening and closes the connections idle at that moment, but a
 * keep-alive connection whose request was still in progress stays open after its response until its
 * keep-alive timeout (65 s in our services: past Kubernetes' 30 s grace, so the pod would be killed
 * instead of exiting). So idle connections are closed again every `pollMs` until none is left.
 */
export function closeServer(server: ClosableServer, { pollMs = 100 } = {}): Promise<void> {
  return new Promise<void>((resolve) => {
    const sweep = setInterval(() => server.closeIdleConnections?.(), pollMs);
    server.close(() => {
      clearInterval(sweep);
      resolve();
    });
  });
}

/**
 * From now on every response asks its client to close the connection (`Connection: close`).
 *
 * Called when draining starts. The load balancer sends new connections elsewhere once readiness is
 * false, but a client keeps using a kept-alive connection to this process for as long as it stays
 * open; closing it from our side while the client may be sending on it resets that request. Told
 * in the response, the client closes after reading it, and opens its next connection to a process
 * that is not leaving.
 */
export function stopKeepingAlive(server: {
  prependListener(event: "request", listener: RequestListener): unknown;
}): void {
  server.prependListener("request", (_request, response) => {
    if (!response.headersSent) response.setHeader("connection", "close");
  });
}

type RequestListener = (
  request: unknown,
  response: { headersSent: boolean; setHeader(name: string, value: string): unknown },
) => void;
