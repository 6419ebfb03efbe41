import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { isIP } from "node:net";
import {
  BlockedTargetError,
  blockedAddressReason,
  guardedLookup,
  type TargetPolicy,
  urlHost,
  urlShapeProblem,
} from "./target-guard.ts";

export type PostOutcome =
  | { kind: "answered"; statusCode: number }
  | { kind: "failed"; error: string; permanent: boolean };

/**
 * POSTs one delivery and reports the status code or why it failed. The target is checked again
 * here (the URL's host, or each address DNS gives, at connect time); redirects are not followed.
 * Never throws.
 */
export function postWebhook(
  rawUrl: string,
  headers: Record<string, string>,
  body: string,
  options: { policy: TargetPolicy; timeoutMs: number; signal?: AbortSignal },
): Promise<PostOutcome> {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return Promise.resolve({ kind: "failed", error: "refused: not a URL", permanent: true });
  }
  const shape = urlShapeProblem(url);
  if (shape) return Promise.resolve({ kind: "failed", error: `refused: ${shape}`, permanent: true });
  const host = urlHost(url);
  if (isIP(host)) {
    const reason = blockedAddressReason(host, options.policy);
    if (reason)
      return Promise.resolve({ kind: "failed", error: `refused: ${host} is ${reason}`, permanent: true });
  }
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const send = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome: PostOutcome) => {
      if (settled) return;
      settled = true;
      resolve(outcome);
    };
    const req = send(
      url,
      {
        method: "POST",
        headers: { ...headers, "content-length": String(Buffer.byteLength(body)) },
        lookup: guardedLookup(options.policy),
        agent: false,
        signal,
      },
      (res) => {
        settle({ kind: "answered", statusCode: res.statusCode ?? 0 });
        // The answer's body is not wanted: close the connection now. Draining it would let a
        // receiver that never ends its body hold a socket for the whole timeout after every
        // delivery it acknowledged, beyond the dispatcher's concurrency (issue 8).
        res.on("error", () => {});
        res.destroy();
      },
    );
    req.on("error", (error) => {
      if (
        error instanceof BlockedTargetError ||
        (error as { cause?: unknown }).cause instanceof BlockedTargetError
      ) {
        return settle({ kind: "failed", error: error.message, permanent: true });
      }
      if (timeout.aborted)
        return settle({ kind: "failed", error: `timed out after ${options.timeoutMs} ms`, permanent: false });
      if (signal.aborted)
        return settle({ kind: "failed", error: "aborted: the dispatcher stopped", permanent: false });
      const code = (error as { code?: string }).code;
      settle({ kind: "failed", error: code ? `${code}: ${error.message}` : error.message, permanent: false });
    });
    req.end(body);
  });
}
